"""Build or update the search index: python ingest.py [--corpus DIR] [--index DIR] [--model M]."""

import sys

from search.cli import ingest_main

if __name__ == "__main__":
    sys.exit(ingest_main())
