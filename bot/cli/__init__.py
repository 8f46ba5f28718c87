"""The command line: ``ringkas run|summarize|eval|fetch|feeds|db|...``.

Parses arguments and calls the other packages. May import everything in ``bot`` except
``bot.telegram`` internals beyond ``bot.telegram.runner``; imports the database only for the
commands that need it, so ``ringkas summarize`` starts fast.
"""
