"""Blocks that plug ``cleaner`` into other engines; each needs its own extra and is imported explicitly.

``cleaner.integrations.datatrove`` (``pip install 'cleaner[datatrove]'``): a datatrove reader for raw scraped
files and a block that cleans documents already in a datatrove pipeline. Nothing here is imported by the
core package.
"""
