"""The pygame client of Crossroads 1917–1922: scenes, widgets and the network thread.

`run_client(argv)` (in `game.client.app`) opens the main menu.
"""
