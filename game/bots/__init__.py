"""Players that are not people: random playthroughs (simulate), the balance tables (balance), and
bots that play a team from its seat's view (bot: Bot, bot_seed; worlds, policy, search, historical).

Bots drive the engine only through ``game.engine.apply``; their own dice are a seeded
``random.Random`` passed in, never the game's generator or the global ``random``.
"""
