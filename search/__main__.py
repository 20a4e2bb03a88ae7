import sys

from .cli import search_main

sys.exit(search_main())
