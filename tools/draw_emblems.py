"""Draw the card emblems (simple procedural pictures) into assets/cards/*.png.

Our own work, CC0. Run: `.venv/bin/python tools/draw_emblems.py`.
Each emblem is a 256x256 transparent PNG in two inks (dark red and near-black)
on a cream disc, readable when scaled down to a card corner.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
import pygame

OUT = Path(__file__).resolve().parents[1] / "assets" / "cards"
S = 256
RED = (139, 30, 30)
INK = (43, 33, 24)
GOLD = (201, 150, 20)
PAPER = (244, 236, 216)


def base() -> pygame.Surface:
    surf = pygame.Surface((S, S), pygame.SRCALPHA)
    pygame.draw.circle(surf, PAPER, (S // 2, S // 2), S // 2 - 2)
    pygame.draw.circle(surf, INK, (S // 2, S // 2), S // 2 - 2, 6)
    pygame.draw.circle(surf, RED, (S // 2, S // 2), S // 2 - 14, 3)
    return surf


def star_points(cx: float, cy: float, r: float, inner: float, n: int = 5, rot: float = -90) -> list:
    pts = []
    for i in range(n * 2):
        a = math.radians(rot + i * 180 / n)
        rr = r if i % 2 == 0 else inner
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def treaty(s):  # a sealed document and a quill
    pygame.draw.rect(s, (252, 248, 238), (66, 52, 112, 150))
    pygame.draw.rect(s, INK, (66, 52, 112, 150), 4)
    for y in range(76, 170, 18):
        pygame.draw.line(s, INK, (80, y), (164, y), 3)
    pygame.draw.circle(s, RED, (160, 186), 22)
    pygame.draw.polygon(s, RED, [(150, 200), (142, 226), (156, 216), (164, 228), (168, 202)])
    pygame.draw.polygon(s, INK, [(196, 60), (206, 70), (130, 170), (122, 172), (124, 164)])


def army(s):  # crossed rifles with bayonets
    for sign in (1, -1):
        c = (128, 128)
        a = math.radians(45 * sign)
        dx, dy = math.sin(a) * 95, -math.cos(a) * 95
        pygame.draw.line(s, INK, (c[0] - dx, c[1] - dy), (c[0] + dx, c[1] + dy), 12)
        pygame.draw.line(s, (150, 150, 150), (c[0] + dx, c[1] + dy), (c[0] + dx * 1.12, c[1] + dy * 1.12), 5)
        pygame.draw.line(s, RED, (c[0] - dx, c[1] - dy), (c[0] - dx * 0.55, c[1] - dy * 0.55), 18)


def star(s):  # the red star
    pygame.draw.polygon(s, RED, star_points(128, 134, 92, 38))
    pygame.draw.polygon(s, INK, star_points(128, 134, 92, 38), 4)


def ship(s):  # a warship at sea
    pygame.draw.polygon(s, INK, [(40, 150), (216, 150), (196, 182), (60, 182)])
    pygame.draw.rect(s, INK, (96, 118, 64, 32))
    pygame.draw.rect(s, INK, (108, 84, 12, 34))
    pygame.draw.rect(s, INK, (136, 92, 12, 26))
    pygame.draw.line(s, INK, (160, 128), (200, 120), 6)
    for x in range(30, 230, 28):
        pygame.draw.arc(s, (40, 90, 140), (x, 186, 28, 18), 0, math.pi, 4)


def train(s):  # a locomotive
    pygame.draw.rect(s, INK, (52, 110, 110, 56))
    pygame.draw.rect(s, INK, (150, 86, 54, 80))
    pygame.draw.rect(s, PAPER, (162, 98, 30, 24))
    pygame.draw.rect(s, INK, (70, 78, 18, 32))
    pygame.draw.polygon(s, INK, [(40, 166), (52, 140), (52, 166)])
    for x in (78, 118, 172):
        pygame.draw.circle(s, RED, (x, 180), 18)
        pygame.draw.circle(s, INK, (x, 180), 18, 4)
    pygame.draw.circle(s, (170, 160, 150), (80, 62), 14)
    pygame.draw.circle(s, (190, 180, 170), (100, 46), 10)


def fortress(s):  # a city wall with towers
    pygame.draw.rect(s, INK, (44, 120, 168, 72))
    for x in (44, 112, 180):
        pygame.draw.rect(s, INK, (x, 84, 32, 108))
        for k in range(3):
            pygame.draw.rect(s, INK, (x + k * 12 - 2, 72, 8, 14))
    pygame.draw.rect(s, PAPER, (116, 150, 24, 42))
    pygame.draw.line(s, INK, (128, 84), (128, 44), 4)
    pygame.draw.polygon(s, RED, [(128, 44), (166, 54), (128, 64)])


def scroll(s):  # an old scroll of debts, crossed out
    pygame.draw.rect(s, (252, 248, 238), (70, 60, 116, 136))
    pygame.draw.rect(s, INK, (70, 60, 116, 136), 4)
    pygame.draw.circle(s, INK, (70, 60), 12)
    pygame.draw.circle(s, INK, (186, 196), 12)
    for y in range(84, 180, 16):
        pygame.draw.line(s, INK, (86, y), (170, y), 3)
    pygame.draw.line(s, RED, (60, 70), (196, 186), 12)


def globe(s):  # the world: diplomacy
    pygame.draw.circle(s, (60, 110, 160), (128, 128), 84)
    pygame.draw.ellipse(s, INK, (44, 44, 168, 168), 4)
    pygame.draw.ellipse(s, INK, (86, 44, 84, 168), 3)
    pygame.draw.line(s, INK, (128, 44), (128, 212), 3)
    for y in (86, 128, 170):
        half = math.sqrt(max(0, 84 ** 2 - (y - 128) ** 2))
        pygame.draw.line(s, INK, (128 - half, y), (128 + half, y), 3)
    pygame.draw.polygon(s, (90, 150, 80), [(96, 80), (130, 72), (150, 96), (120, 118), (100, 104)])
    pygame.draw.polygon(s, (90, 150, 80), [(140, 140), (170, 130), (176, 166), (150, 180)])


def eye(s):  # the watchful eye: the Cheka
    pygame.draw.ellipse(s, PAPER, (40, 84, 176, 88))
    pygame.draw.ellipse(s, INK, (40, 84, 176, 88), 6)
    pygame.draw.circle(s, RED, (128, 128), 32)
    pygame.draw.circle(s, INK, (128, 128), 14)
    for a in range(200, 341, 28):
        r = math.radians(a)
        pygame.draw.line(s, INK, (128 + 96 * math.cos(r), 128 + 70 * math.sin(r)),
                         (128 + 116 * math.cos(r), 128 + 92 * math.sin(r)), 5)


def crown(s):  # a broken crown: an empire falls
    pts = [(58, 170), (58, 100), (92, 136), (128, 84), (164, 136), (198, 100), (198, 170)]
    pygame.draw.polygon(s, GOLD, pts)
    pygame.draw.polygon(s, INK, pts, 5)
    pygame.draw.rect(s, GOLD, (58, 170, 140, 24))
    pygame.draw.rect(s, INK, (58, 170, 140, 24), 5)
    pygame.draw.lines(s, RED, False, [(120, 86), (136, 120), (118, 146), (138, 196)], 8)


def wheat(s):  # a sheaf: food and the peasants
    for dx in (-30, 0, 30):
        pygame.draw.line(s, INK, (128 + dx * 0.3, 206), (128 + dx, 74), 5)
        for k in range(5):
            y = 80 + k * 18
            x = 128 + dx * (1 - (y - 74) / 132 * 0.7)
            pygame.draw.ellipse(s, GOLD, (x - 16, y, 14, 22))
            pygame.draw.ellipse(s, GOLD, (x + 2, y, 14, 22))
    pygame.draw.rect(s, RED, (100, 160, 56, 14))


def flag(s):  # a flag on a pole: a land changes hands
    pygame.draw.line(s, INK, (84, 50), (84, 212), 8)
    pygame.draw.polygon(s, RED, [(88, 56), (190, 72), (160, 100), (196, 130), (88, 122)])
    pygame.draw.polygon(s, INK, [(88, 56), (190, 72), (160, 100), (196, 130), (88, 122)], 4)
    pygame.draw.ellipse(s, (120, 150, 90), (50, 196, 156, 24))


def sabre(s):  # crossed sabres: the Cossacks, the civil war
    for sign in (1, -1):
        pts = []
        for t in range(0, 21):
            u = t / 20
            x = 128 + sign * (-80 + 160 * u)
            y = 196 - 150 * u + 40 * math.sin(u * math.pi)
            pts.append((x, y))
        pygame.draw.lines(s, (120, 120, 130), False, pts, 9)
        pygame.draw.line(s, INK, (pts[2][0] - 16, pts[2][1] - 10), (pts[2][0] + 16, pts[2][1] + 10), 8)
        pygame.draw.line(s, RED, pts[0], pts[2], 10)


def factory(s):  # chimneys: industry and the workers
    pygame.draw.polygon(s, INK, [(40, 196), (40, 140), (80, 118), (80, 140), (120, 118), (120, 140), (160, 118),
                                 (160, 196)])
    pygame.draw.rect(s, INK, (170, 70, 24, 126))
    pygame.draw.rect(s, RED, (170, 70, 24, 12))
    for k, r in enumerate((14, 18, 22)):
        pygame.draw.circle(s, (170, 160, 150), (188 + k * 8, 58 - k * 16), r)


def default(s):  # the hammer and the quill: a turning point
    star(s)


EMBLEMS = {f.__name__: f for f in (treaty, army, star, ship, train, fortress, scroll, globe, eye, crown, wheat,
                                   flag, sabre, factory, default)}


def main() -> int:
    pygame.init()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in EMBLEMS.items():
        surf = base()
        draw(surf)
        pygame.image.save(surf, str(OUT / f"{name}.png"))
    (OUT / "LICENSE.md").write_text(
        "# Card emblems\n\nDrawn procedurally by `tools/draw_emblems.py` (our own work).\n"
        "Licence: CC0 1.0 (public domain dedication).\n", encoding="utf-8")
    print(f"{len(EMBLEMS)} emblems in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
