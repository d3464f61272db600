"""Players that are not people: random playthroughs for balance checks and benchmarks (bots to come).

Bots drive the engine only through ``game.engine.apply``; their own dice are a seeded
``random.Random`` passed in, never the game's generator or the global ``random``.
"""
