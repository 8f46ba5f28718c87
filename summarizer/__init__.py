"""Indonesian extractive summarization: text in, a few verbatim sentences out."""
