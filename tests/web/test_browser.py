"""Students in a real browser (Debian's chromium, Playwright) against a real server on 127.0.0.1.

The teacher is a protocol client (tests/web/host.py); each student has their own browser
context (their own localStorage, as on their own device)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from game.scenarios import builtin_scenario
from tests.web.conftest import http_base
from tests.web.host import SyncClient

SCENARIO = "brest-1918"
TEAMS = ["lenin", "central", "entente"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def secrets() -> dict[str, list[str]]:
    sc = builtin_scenario(SCENARIO)
    return {t: [sc.teams[t].secret_text["pl"], sc.teams[t].secret_text["en"]] for t in TEAMS}


class Student:
    """One student's tab."""

    def __init__(self, browser: Any, base: str, viewport: dict[str, int] = LAPTOP) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def join(self, code: str, name: str) -> None:
        self.page.goto(self.base + "?code=" + code)
        self.page.fill("#name", name)
        self.page.click("#join")
        self.page.wait_for_selector("body[data-screen=lobby]")

    def state(self, expr: str) -> Any:
        return self.page.evaluate(f"() => {{ const S = window.crossroads; return {expr}; }}")

    def screen(self, name: str, timeout: float = 10_000) -> None:
        try:
            self.page.wait_for_selector(f"body[data-screen={name}]", timeout=timeout)
        except Exception as exc:
            seen = self.state("[document.body.dataset.screen, S.view && S.view.phase, S.view && S.view.turn, S.status]")
            raise AssertionError(f"not on {name}: {seen}") from exc

    def html(self) -> str:
        return self.page.content()

    def text(self) -> str:
        return self.page.inner_text("body")

    def vote_everywhere(self) -> int:
        """Vote for the first open option on every card this team decides; wait until each shows as cast."""
        cards = self.page.eval_on_selector_all(
            "article.card", "els => els.filter(e => e.querySelector('.vote:not([disabled])')).map(e => e.id)")
        for card_id in cards:
            button = self.page.locator(f"#{card_id} .vote:not([disabled])").first
            button.click()
            # shown as cast, unless this was the room's last vote and the outcome already replaced the card
            self.page.wait_for_function(
                "id => document.querySelector(`#${id} .vote[aria-pressed=\"true\"][data-state=\"cast\"]`)"
                " || document.body.dataset.screen !== 'game'", arg=card_id)
        return len(cards)

    def close(self) -> None:
        assert not self.errors, self.errors
        self.context.close()


def lesson(srv: Any, **config: Any) -> tuple[SyncClient, str]:
    host = SyncClient(srv.url)
    fields = {"scenario": SCENARIO, "lang": "en", "teams": TEAMS, "formation": "auto", "timer": None,
              "briefing": None} | config
    return host, host.ok("create_session", **fields)["code"]


def test_three_students_play_brest_to_the_end(web_server, browser) -> None:
    host, code = lesson(web_server)
    base = http_base(web_server)
    students = [Student(browser, base, PHONE), Student(browser, base), Student(browser, base)]
    phone = students[0]
    for s, name in zip(students, ("Ania", "Bartek", "Celina"), strict=True):
        s.join(code, name)
    host.wait(lambda c: len(c.members) == 3)
    teams = {m["name"]: m["team"] for m in host.members}
    assert sorted(teams.values()) == sorted(TEAMS)
    team_of = [s.state("S.you.team") for s in students]
    assert team_of == [teams["Ania"], teams["Bartek"], teams["Celina"]]
    hidden = secrets()
    for s, team in zip(students, team_of, strict=True):
        assert hidden[team][1] in s.html()  # its own secret objective (English lesson)
    before = host.state_id
    host.ok("start")
    # the ack comes before the update of turn 1's vote (protocol.md §2): until that update is read the
    # view still shows the lobby's briefing, and an ``advance`` sent on it is refused (decision/wrong_phase)
    host.wait(lambda c: c.state_id != before)
    turns_seen = set()
    while True:
        host.wait(lambda c: c.view["phase"] in ("deliberation", "outcome", "ended", "briefing"))
        phase = host.view["phase"]
        if phase == "ended":
            break
        if phase == "briefing":
            host.ok("advance")
            host.wait(lambda c: c.view["phase"] != "briefing")
            continue
        if phase == "deliberation":
            turn = host.view["turn"]
            turns_seen.add(turn)
            titles = [c["title"]["en"] for c in host.view["cards"]]
            voted = 0
            for s, team in zip(students, team_of, strict=True):
                s.page.wait_for_function(f"() => window.crossroads.view && window.crossroads.view.turn === {turn}")
                if s.state("S.view.phase") != "deliberation":
                    continue  # the others' votes closed it: this team decides nothing this turn
                s.screen("game")
                if s is phone:  # every screen reflows to a phone's width: no horizontal scrolling
                    assert s.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
                text = s.text()
                assert all(title in text for title in titles)
                html = s.html()
                for other, texts in hidden.items():  # another team's secret is never in a student's page
                    assert (texts[0] in html or texts[1] in html) == (other == team), (turn, team, other)
                voted += s.vote_everywhere()
            if voted:
                # every student voted: the vote closes by itself (auto_resolve)
                host.wait(lambda c: c.view["phase"] == "outcome")
            else:
                host.pump(0.2)
                if host.view["phase"] == "deliberation":
                    host.ok("force_resolve")
            continue
        # outcome: each student sees what happened on every card of the turn
        turn = host.view["turn"]
        record = host.view["timeline"][-1]
        assert record["turn"] == turn
        if turn == 1:
            host.ok("reveal", card=record["cards"][0]["card"])
        phone.screen("outcome")
        assert phone.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        for s in students:
            s.screen("outcome")
            s.page.wait_for_function(f"() => window.crossroads.view.turn === {turn}")
            if turn == 1:
                s.page.wait_for_function("() => window.crossroads.view.revealed.length > 0")
            text = s.text()
            for card in record["cards"]:
                assert card["title"]["en"] in text
        if turn == 1:
            quote = host.view["cards"][0]["history"]["sources"][0]["quote"]
            assert all(quote in s.text() for s in students), "the revealed history with its quote"
        host.ok("advance")
        host.wait(lambda c: c.view["phase"] != "outcome")
    assert turns_seen == set(range(1, host.view["turn_count"] + 1))
    ending = host.view["ending"]["title"]["en"]
    phone.screen("debrief")
    assert phone.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for s in students:
        s.screen("debrief")
        text = s.text()
        assert ending in text
        assert s.page.locator("table.scores tbody tr").count() == len(TEAMS)
        for texts in hidden.values():  # the debrief reveals every team's secret
            assert texts[1] in text
    for s in students:
        s.close()
    host.close()


def test_phone_keyboard_reload_and_language(web_server, browser) -> None:
    host, code = lesson(web_server, teams=["lenin", "central"])
    base = http_base(web_server)
    s = Student(browser, base, PHONE)
    other = Student(browser, base, PHONE)
    page = s.page
    page.goto(base + "?code=" + code)

    def fits() -> None:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{width} px wide on a {PHONE['width']} px phone"

    fits()
    # keyboard only: the code is filled from the address; Tab to the name, Enter joins
    page.focus("#code")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "name"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "suggest"
    page.keyboard.press("Enter")  # suggest a name
    suggested = page.input_value("#name")
    assert len(suggested.split()) == 2
    page.focus("#name")
    page.keyboard.press("Enter")
    s.screen("lobby")
    fits()
    other.join(code, "Bartek")
    host.wait(lambda c: len(c.members) == 2)
    player = s.state("S.you.player")
    host.ok("start")
    s.screen("game")
    fits()
    first = page.locator(".vote:not([disabled])").first
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector('.vote[aria-pressed="true"][data-state="cast"]')
    chosen = page.get_attribute('.vote[aria-pressed="true"]', "id")
    assert "Your vote" in page.inner_text("#live") or "leans" in page.inner_text("#live")
    # a reload (or a phone that slept) gets the same seat back, with the vote
    page.reload()
    s.screen("game")
    assert s.state("S.you.player") == player
    page.wait_for_selector(f'#{chosen}[aria-pressed="true"]')
    host.pump(0.3)
    assert len(host.members) == 2, "no second member for the same student"
    # the socket dies under it (a phone that slept, a Wi-Fi hiccup): it reconnects and resumes
    srv = web_server.server

    def drop() -> int:
        mine = [c for c, b in srv.master.bindings.items() if b.player == player]
        for c in mine:
            srv.conns[c].transport.abort()
        return len(mine)

    assert web_server.call(drop) == 1
    page.wait_for_function("() => window.crossroads.status !== 'open'")
    page.wait_for_function("() => window.crossroads.status === 'open'", timeout=10_000)
    page.wait_for_function(f"() => window.crossroads.you && window.crossroads.you.player === '{player}'")
    page.wait_for_selector(f'#{chosen}[aria-pressed="true"]')
    assert web_server.call(lambda: sum(1 for b in srv.master.bindings.values() if b.player == player)) == 1
    # the language switch, at any time, and remembered across a reload
    sc = builtin_scenario(SCENARIO)
    card = host.view["cards"][0]["id"]
    assert sc.cards[card].title["en"] in s.text()
    page.click("#lang")
    assert page.evaluate("() => document.documentElement.lang") == "pl"
    assert sc.cards[card].title["pl"] in s.text()
    assert "Głosuj" in s.text() or "Twój głos" in s.text()
    fits()
    page.reload()
    s.screen("game")
    assert page.evaluate("() => document.documentElement.lang") == "pl"
    other.close()
    s.close()
    host.close()


def test_a_push_changes_only_what_changed_on_the_page(web_server, browser) -> None:
    """A teammate's vote reaches the page as an update: the page shows it, and the controls the
    student holds (the focused button, an opened disclosure, the map) are the same elements as
    before, not rebuilt; handlers follow the state (the language button switches both ways)."""
    host, code = lesson(web_server, teams=["lenin", "central"], formation="free", auto_resolve=False)
    s = Student(browser, http_base(web_server))
    s.join(code, "Ania")
    s.page.click("#pick-lenin")
    mate = SyncClient(web_server.url)
    mate.ok("join", code=code, name="Bartek")
    mate.ok("pick_team", team="lenin")
    host.ok("start")
    s.screen("game")
    page = s.page
    page.wait_for_selector(".map svg path.region")
    card = host.view["cards"][0]["id"]
    first = page.locator(f"#card-{card} .vote:not([disabled])").first
    first.click()
    page.wait_for_selector('.vote[data-state="cast"]')
    mine = first.get_attribute("id")
    option = mine.split("-", 2)[2]
    page.wait_for_function(f"() => window.crossroads.view.team.votes['{card}']")  # my vote in the view
    page.click(f"#who-{card}")  # open "who voted"
    page.focus(f"#{mine}")
    page.evaluate(f"""() => {{ for (const sel of ['#{mine}', '#who-box-{card}', '.map svg', '#lang'])
      document.querySelector(sel).crMark = 'before'; }}""")  # a property: gone if rebuilt
    mate.ok("vote", card=card, option=option)
    page.wait_for_function(f"() => Object.keys(window.crossroads.view.team.votes['{card}']).length === 2")
    assert "Bartek" in page.inner_text(f"#who-box-{card}")
    for sel in (f"#{mine}", f"#who-box-{card}", ".map svg", "#lang"):
        assert page.evaluate("s => document.querySelector(s).crMark", sel) == "before", f"{sel} was rebuilt"
    assert page.evaluate("() => document.activeElement.id") == mine
    assert page.get_attribute(f"#who-box-{card}", "open") is not None
    assert page.get_attribute(f"#{mine}", "data-state") == "cast"
    for lang in ("pl", "en", "pl"):
        page.click("#lang")
        assert page.evaluate("() => document.documentElement.lang") == lang
    assert "Twój głos" in s.text()
    # the card's glossary: its terms by name, with their definitions, never the ids
    sc = builtin_scenario(SCENARIO)
    terms = [sc.glossary[t] for t in sc.cards[card].terms]
    assert terms, "brest-1918's first card has glossary terms"
    page.click(f"#terms-toggle-{card}")
    shown = page.inner_text(f"#terms-{card}")
    for g in terms:
        assert g.term["pl"] in shown and g.text["pl"][:40] in shown
        assert g.id not in shown or g.id in g.term["pl"].lower()
    mate.close()
    s.close()
    host.close()


def test_projector_shows_code_address_card_and_counts_never_votes(web_server, browser) -> None:
    host, code = lesson(web_server, teams=["lenin", "central"])
    base = http_base(web_server)
    board = Student(browser, base, {"width": 1920, "height": 1080})
    board.page.goto(base + "?projector=" + code)
    board.screen("projector")
    assert board.page.inner_text("#big-code") == code
    # opened as localhost (the teacher's laptop on the projector): the addresses students can reach
    with urllib.request.urlopen(base + "static/where.json") as r:
        lan = json.load(r)["addresses"]
    port = web_server.server.port
    board.page.wait_for_function("() => window.crossroads.where !== undefined")
    for address in [f"http://{a}:{port}/" for a in lan] or [base]:
        assert address in board.text()
    students = [Student(browser, base), Student(browser, base)]
    students[0].join(code, "Ania")
    students[1].join(code, "Bartek")
    host.ok("start")
    students[0].screen("game")
    students[0].vote_everywhere()
    card = host.view["cards"][0]
    board.page.wait_for_function("() => document.body.innerText.includes('votes: 1')")
    text = board.text()
    assert card["title"]["en"] in text
    assert board.page.locator(".vote").count() == 0
    assert "Ania" not in board.html() and "Bartek" not in board.html(), "who voted is never on the board"
    for texts in secrets().values():
        assert texts[0] not in board.html() and texts[1] not in board.html()
    for s in (*students, board):
        s.close()
    host.close()


@pytest.mark.parametrize("target", ["/?code=NOSUCH"])
def test_a_wrong_code_says_so_and_keeps_the_form(web_server, browser, target: str) -> None:
    SyncClient(web_server.url).ok("create_session", scenario=SCENARIO)
    s = Student(browser, http_base(web_server), PHONE)
    s.page.goto(http_base(web_server) + target.lstrip("/"))
    s.page.fill("#name", "Ania")
    s.page.click("#join")
    s.page.wait_for_selector("#notice")
    assert "no game with this code" in s.page.inner_text("#notice")
    assert s.page.input_value("#name") == "Ania"
    s.close()


def test_a_kicked_student_is_told_and_loses_the_seat(web_server, browser) -> None:
    host, code = lesson(web_server, teams=["lenin", "central"])
    s = Student(browser, http_base(web_server), PHONE)
    s.join(code, "Ania")
    player = s.state("S.you.player")
    assert s.page.evaluate(f"() => localStorage.getItem('crossroads.seat.{code}')")
    host.ok("kick", player=player)
    s.page.wait_for_selector("#notice")
    assert "removed you" in s.page.inner_text("#notice")
    assert s.page.evaluate(f"() => localStorage.getItem('crossroads.seat.{code}')") is None
    s.page.reload()
    s.screen("join")  # a reload asks for a name again: the old token is gone
    s.close()
    host.close()
