"""The highlighted referral text: pieces from offsets, rendered as balanced, escaped markup.

No browser: this is the server-side half, with random overlapping spans.
"""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st
from serve.highlight import number_mentions, pieces
from serve.web import templates

from thrive_ml.result import Explanation, PossibleRisk, RiskFlag
from thrive_ml.taxonomy import ContextStatus, RiskIndicator

VOID = {"br", "img", "input", "meta", "link", "hr"}


class Markup(HTMLParser):
    """Checks tags nest properly; collects the text outside the status labels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self.label_depth = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in VOID:
            return
        if self.label_depth or "risk-label" in (dict(attrs).get("class") or ""):
            self.label_depth += 1
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if self.label_depth:
            self.label_depth -= 1

    def handle_data(self, data):
        if not self.label_depth:
            self.text.append(data)


def flag(start: int, end: int, text: str, status=ContextStatus.AFFIRMED) -> RiskFlag:
    return RiskFlag(
        indicator=RiskIndicator.SELF_HARM, status=status, start=start, end=end, text=text[start:end]
    )


def explanation(start: int, end: int, text: str) -> Explanation:
    return Explanation(start=start, end=end, text=text[start:end], weight=1.0)


def possible(start: int, end: int, text: str) -> PossibleRisk:
    return PossibleRisk(start=start, end=end, text=text[start:end], probability=0.9)


def render(
    text: str,
    flags: list[RiskFlag],
    explanations: list[Explanation],
    sentences: list[PossibleRisk] = (),
) -> str:
    mentions = number_mentions(flags)
    macro = templates().env.get_template("_case.html").module.referral_text
    body = str(macro(pieces(text, mentions, explanations, sentences), mentions))
    return body.split('<div class="referral-text">', 1)[1].rsplit("</div>", 1)[0]


def parse(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


def test_pieces_join_back_to_the_text_and_know_their_spans():
    text = "She has been cutting her arms."
    mentions = number_mentions([flag(8, 20, text)])
    cut = pieces(text, mentions, [explanation(13, 29, text)])

    assert "".join(p.text for p in cut) == text
    assert [(p.text, p.risks, p.drivers) for p in cut] == [
        ("She has ", (), ()),
        ("been ", (1,), ()),
        ("cutting", (1,), (1,)),
        (" her arms", (), (1,)),
        (".", (), ()),
    ]
    assert [m.number for p in cut for m in p.labels] == [1]
    assert cut[2].labels[0].flag.status == ContextStatus.AFFIRMED


def test_spans_outside_the_text_are_dropped_not_trusted():
    text = "short"
    mentions = number_mentions([flag(3, 2, text), flag(10, 20, "x" * 30)])

    cut = pieces(text, mentions, [explanation(0, 0, text)])

    assert [(p.text, p.risks, p.drivers) for p in cut] == [("short", (), ())]


def test_overlapping_marks_render_as_balanced_markup_with_a_label_per_mention():
    text = "He said he wants to die and has tablets saved."
    flags = [flag(11, 23, text), flag(16, 38, text, ContextStatus.HYPOTHETICAL)]

    parsed = parse(render(text, flags, [explanation(8, 30, text)]))

    assert parsed.problems == []
    assert parsed.stack == []
    assert "".join(parsed.text) == text
    assert parsed.tags.count("mark") >= 2


def test_html_in_the_text_is_escaped_never_markup():
    text = '<script>alert(1)</script><img src=x onerror="alert(2)"> cutting'
    flags = [flag(text.index("cutting"), len(text), text), flag(0, 8, text)]

    html = render(text, flags, [explanation(8, 20, text)])

    parsed = parse(html)
    assert "script" not in parsed.tags
    assert "img" not in parsed.tags
    assert "".join(parsed.text) == text
    assert "&lt;script&gt;" in html


@given(
    text=st.text(min_size=1, max_size=60),
    spans=st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70), st.booleans()), max_size=8),
)
def test_any_spans_over_any_text_render_balanced_and_keep_the_text(text, spans):
    flags = [
        flag(min(a, b), max(a, b), text, ContextStatus.NEGATED if odd else ContextStatus.AFFIRMED)
        for a, b, odd in spans
        if min(a, b) >= 0
    ]
    drivers = [explanation(max(0, min(a, b)), max(0, max(a, b)), text) for a, b, _ in spans]
    sentences = [
        possible(min(a, b), max(a, b), text) for a, b, odd in spans if odd and min(a, b) >= 0
    ]

    parsed = parse(render(text, flags, drivers, sentences))

    assert parsed.problems == []
    assert parsed.stack == []
    assert "".join(parsed.text) == text


def test_a_sentence_the_reader_sent_is_outlined_whole_and_explained_in_the_key():
    text = "Attendance is fine. He says he wants to zorble for good. Likes art."
    start = text.index("He says")
    end = text.index(" Likes")
    cut = pieces(text, [], [], [possible(start, end, text)])
    assert [p.text for p in cut if p.possible] == ["He says he wants to zorble for good."]
    macro = templates().env.get_template("_case.html").module.referral_text
    html = str(macro(cut, []))
    assert '<mark class="possible">He says he wants to zorble for good.</mark>' in html
    assert "learned reader" in html
    assert "learned reader" not in str(macro(pieces(text, [], []), []))


def test_the_readers_reason_is_said_in_words_and_can_filter_the_queue():
    from serve.routers.pages import reason_options, reason_words

    from thrive_ml.triage import POSSIBLE_RISK_REASON

    assert "safety rules recognised no risk words" in reason_words(POSSIBLE_RISK_REASON)
    assert POSSIBLE_RISK_REASON in dict(reason_options())
