import sys

from server.cli import main

if __name__ == "__main__":  # bots think in spawned processes, which import this module as __mp_main__
    sys.exit(main())
