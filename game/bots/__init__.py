"""Bots that play a team from its seat's view (see ``game.bots.bot``)."""
