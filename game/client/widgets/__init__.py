"""Cached-surface widgets drawn with pygame (map, card, gauges, timeline).

Each widget renders into a Surface kept until its inputs change, and keeps
`texts`: the strings it drew, for tests and accessibility checks.
"""
