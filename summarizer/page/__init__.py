"""Reading a news page into clean article text and metadata (title, author, publication time, picture):
HTML and copied-text pages, their lines, boilerplate, bylines and titles.

It imports only ``summarizer.lang``; ``summarizer.core`` drives it.
"""
