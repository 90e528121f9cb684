"""What the safety rules must do, one tiny sentence per test (sentences written for these tests)."""

from __future__ import annotations

import pytest

from thrive_ml.safety import SafetyReport, assess
from thrive_ml.taxonomy import ContextStatus, RiskIndicator

A = ContextStatus.AFFIRMED
N = ContextStatus.NEGATED
O = ContextStatus.OTHER_PERSON  # noqa: E741 - reads as the status letter in these tables
H = ContextStatus.HISTORICAL
Y = ContextStatus.HYPOTHETICAL


def _exact(report: SafetyReport, text: str) -> None:
    for f in report.flags:
        assert text[f.start : f.end] == f.text


def _routes(text: str) -> SafetyReport:
    report = assess(text)
    _exact(report, text)
    assert report.routes_to_review, [(f.indicator, f.status, f.text) for f in report.flags]
    return report


def _does_not_route(text: str) -> SafetyReport:
    report = assess(text)
    _exact(report, text)
    assert not report.routes_to_review, [(f.indicator, f.status, f.text) for f in report.flags]
    return report


def _has(report: SafetyReport, indicator: RiskIndicator, status: ContextStatus) -> None:
    assert any(f.indicator is indicator and f.status is status for f in report.flags), [
        (f.indicator, f.status, f.text) for f in report.flags
    ]


# ---------------------------------------------------------------- plain and clinical wording


def test_affirmed_self_harm_routes_with_reason() -> None:
    report = _routes("Jess has been cutting her forearms most nights.")
    assert "risk:self_harm" in report.review_reasons


def test_suicidal_ideation_shorthand_routes() -> None:
    _has(_routes("Reports SI most days this month."), RiskIndicator.SUICIDAL_IDEATION, A)


def test_dsh_shorthand_routes() -> None:
    _has(_routes("Known to CAMHS for DSH."), RiskIndicator.SELF_HARM, A)


def test_overdose_shorthand_routes() -> None:
    _routes("Attended A&E after an OD at the weekend.")


def test_cp_plan_routes_as_safeguarding() -> None:
    _has(_routes("Sibling group are on a CP plan."), RiskIndicator.SAFEGUARDING, A)


def test_cse_concern_routes() -> None:
    _has(_routes("School raised CSE concerns in October."), RiskIndicator.SAFEGUARDING, A)


def test_previous_attempt_routes() -> None:
    _routes("He tried to hang himself in the spring.")


def test_plan_with_method_routes() -> None:
    _has(
        _routes("She has made a plan to end her life at the weekend."),
        RiskIndicator.SUICIDE_PLAN_OR_INTENT,
        A,
    )


def test_stockpiled_tablets_route_as_means() -> None:
    _has(
        _routes("Mum discovered he has been stockpiling tablets."),
        RiskIndicator.ACCESS_TO_MEANS,
        A,
    )


def test_weapon_brought_to_school_routes_as_harm_to_others() -> None:
    _has(
        _routes("He brought a knife into school on Tuesday."),
        RiskIndicator.HARM_TO_OTHERS,
        A,
    )


def test_homicidal_shorthand_is_case_sensitive() -> None:
    _routes("Reports HI towards stepfather.")
    _does_not_route("Hi, I am writing to refer my son.")


# ---------------------------------------------------------------- euphemism and slang


@pytest.mark.parametrize(
    "text",
    [
        "Keeps saying she doesn't want to be here any more.",
        "Told her tutor everyone would be better off without her.",
        "He has started giving his games and his bike away to friends.",
        "Staff noticed marks on her arms during PE.",
        "She looked up how many paracetamol it would take.",
        "lol i'm going to kms",
        "she said she wants to unalive herself",
        "He says there is no point in living.",
        "Has talked about going to sleep and never waking up.",
        "wrote a goodbye letter to her mum",
    ],
)
def test_euphemism_and_slang_route(text: str) -> None:
    _routes(text)


def test_text_speak_without_apostrophes_still_routes() -> None:
    _routes("she doesnt want to be alive anymore")


# ---------------------------------------------------------------- safeguarding by signs


@pytest.mark.parametrize(
    "text",
    [
        "An older man keeps messaging her on Instagram.",
        "She has unexplained money and new trainers.",
        "He has been going missing overnight.",
        "There is violence at home between mum and her partner.",
        "Dad hits him when he drinks.",
        "She comes to school hungry and in dirty clothes.",
        "Teacher saw bruises on his neck.",
        "She disclosed that her uncle touched her.",
        "A 30-year-old man she met online has been sending her gifts.",
    ],
)
def test_safeguarding_signs_route(text: str) -> None:
    _has(_routes(text), RiskIndicator.SAFEGUARDING, A)


# ---------------------------------------------------------------- context: negation


def test_negated_self_harm_is_reported_not_routed() -> None:
    _has(_does_not_route("She denies any self-harm."), RiskIndicator.SELF_HARM, N)


def test_gp_shorthand_negative_screen_does_not_route() -> None:
    report = _does_not_route("Mood low. NO SI/SH.")
    assert {f.indicator for f in report.flags} == {
        RiskIndicator.SUICIDAL_IDEATION,
        RiskIndicator.SELF_HARM,
    }


def test_form_answer_no_does_not_route() -> None:
    _does_not_route("Self-harm: none.")


def test_never_self_harmed_does_not_route() -> None:
    _does_not_route("He has never self-harmed.")


def test_negated_history_is_a_denial_not_a_history() -> None:
    _does_not_route("Nil h/o overdose.")


def test_denial_with_pronoun_does_not_route() -> None:
    _does_not_route("She denies that she has ever thought of suicide.")


def test_negated_report_does_not_route() -> None:
    _does_not_route("He has never said that he wants to die.")


def test_denial_then_contrary_evidence_routes() -> None:
    report = _routes("Denies cutting but fresh scars were seen on her thigh.")
    _has(report, RiskIndicator.SELF_HARM, N)
    _has(report, RiskIndicator.SELF_HARM, A)


def test_negation_does_not_cross_a_new_clause() -> None:
    _routes("Not sleeping, and she has been burning herself.")


def test_negation_does_not_cross_a_sentence() -> None:
    _routes("She said no. Cut her wrist last night.")


def test_pseudo_negation_not_only_affirms() -> None:
    _routes("Not only cutting, she has also burnt herself.")


def test_escalation_no_longer_just_thinking_routes() -> None:
    _routes("He is no longer just thinking about suicide.")


def test_secrecy_is_not_a_denial() -> None:
    _routes("She hasn't told anyone that she cuts her legs.")


def test_wish_not_to_wake_up_routes_despite_negation_word() -> None:
    _routes("He doesn't want to wake up in the mornings.")


# ---------------------------------------------------------------- context: time and condition


def test_past_self_harm_is_historical_and_routes() -> None:
    _has(_routes("She used to self-harm."), RiskIndicator.SELF_HARM, H)


def test_school_year_makes_it_historical() -> None:
    _has(_routes("Cut her arms in year 7, none since."), RiskIndicator.SELF_HARM, H)


def test_stopped_self_harm_still_routes() -> None:
    _routes("Self-harm stopped last summer.")


def test_conditional_threat_is_hypothetical_and_routes() -> None:
    report = _routes("He says he will kill himself if his phone is taken away.")
    assert any(f.status is Y for f in report.flags)


def test_threat_to_hurt_others_routes() -> None:
    _routes("She threatened to stab her brother.")


def test_worry_that_she_might_routes() -> None:
    _routes("Mum is worried she might overdose.")


# ---------------------------------------------------------------- context: someone else


@pytest.mark.parametrize(
    "text",
    [
        "Her best friend self-harms.",
        "His cousin tried to kill himself last year.",
        "She is supporting a friend who cuts.",
        "Her mum, who says she wants to die, drinks heavily.",
        "A boy in her class took an overdose.",
        "Her older brother was groomed online when he was twelve.",
    ],
)
def test_someone_elses_risk_is_reported_not_routed(text: str) -> None:
    report = _does_not_route(text)
    assert any(f.status is O for f in report.flags)


def test_parent_reporting_about_the_child_routes() -> None:
    _routes("Mum says she has been cutting her arms.")


def test_parent_finding_means_routes() -> None:
    _routes("Dad found razor blades in her pencil case.")


def test_violence_by_parent_is_about_the_child() -> None:
    _routes("Her stepdad punched her last week.")


def test_advice_to_someone_else_does_not_route() -> None:
    _does_not_route("Please don't hurt yourself, you matter.")


def test_child_and_friend_together_routes() -> None:
    _routes("She and her friend have been cutting together.")


# ---------------------------------------------------------------- lookalikes


@pytest.mark.parametrize(
    "text",
    [
        "He has been killing it at football this term.",
        "She is dying to go to the concert.",
        "Says he is drowning in homework.",
        "The school held a self-harm awareness assembly.",
        "Mum cut her fringe at the weekend.",
        "She has cut out carbs and sugar.",
        "He scored a great shot at goal.",
        "The kit keeps going missing from his bag.",
        "That film was dead funny.",
        "She overdosed on chocolate at Easter.",
    ],
)
def test_lookalikes_do_not_route(text: str) -> None:
    _does_not_route(text)


def test_lookalike_does_not_hide_a_real_mention_nearby() -> None:
    _routes("Killing it at school, but she is still cutting her arms.")


# ---------------------------------------------------------------- obfuscation


@pytest.mark.parametrize(
    "text",
    [
        "she has been s e l f h a r m i n g",
        "thinking about k.m.s",
        "wants to k1ll h3rself",
        "has been $elf-h@rming",
        "she wants to diiiie",
        "talks about suicde a lot",
        "took an overdoes last night",
        "thoughts of s\u0443icide",  # Cyrillic u
        "self\u200bharm since March",  # zero-width space
        "self\u00adharm since March",  # soft hyphen
        "SELF-HARM DAILY",
        "ｓｅｌｆ－ｈａｒｍ",  # full-width forms
    ],
)
def test_obfuscated_risk_words_route(text: str) -> None:
    _routes(text)


def test_offsets_point_into_the_original_with_emoji_and_accents() -> None:
    text = "😢😢 Zoë says she wants to die 💔 e\u0301"
    report = _routes(text)
    flag = report.flags[0]
    assert text[flag.start : flag.end] == flag.text == "wants to die"


def test_offsets_cover_the_obfuscated_characters() -> None:
    text = "x s\u200be\u200bl\u200bf-harm y"
    report = _routes(text)
    assert report.flags[0].text.startswith("s")
    assert report.flags[0].text.endswith("harm")


# ---------------------------------------------------------------- report shape


def test_report_carries_rules_version() -> None:
    assert assess("hello").rules_version.count(".") == 2


def test_overlapping_flags_keep_the_routing_one() -> None:
    report = assess("She denies self-harm, but self-harm was seen by staff.")
    assert report.routes_to_review
    spans = [(f.start, f.end, f.indicator) for f in report.flags]
    assert len(spans) == len(set(spans))


def test_reasons_are_one_per_indicator() -> None:
    report = _routes("She cut her arms and later cut her legs.")
    assert report.review_reasons == ("risk:self_harm",)


@pytest.mark.parametrize(
    "text",
    [
        "She has said she wants to stop living.",
        "Cutting has become a habit for him.",
        "He reattempted in May.",
        "She can't see herself growing up.",
        "He doesn't know why he cuts.",
        "She says you never know when the suicidal thoughts will hit.",
        "He is trying hard not to hurt himself.",
        "She was looking for her dad's pills last night.",
    ],
)
def test_indirect_first_person_risk_routes(text: str) -> None:
    _routes(text)


def test_suicidal_as_a_description_of_others_does_not_route() -> None:
    _does_not_route("The charity supports suicidal teenagers.")


def test_second_person_advice_does_not_route() -> None:
    _does_not_route("If you ever feel like ending your life, call the helpline.")


@pytest.mark.parametrize(
    "text",
    [
        "He keeps saying nobody would care if he was gone.",
        "she carves words into her thighs",
        "She has threatened to jump off the bridge if her boyfriend leaves her.",
        "i h8 myself and want 2 die",
        "He punched a boy in his class and broke his nose.",
        "Threatened his sister with a kitchen knife.",
        "He is being made to carry drugs for a gang.",
        "He is in a relationship with a 22 year old.",
        "His mum leaves him alone overnight.",
        "He says he is fine but his arms are covered in cuts.",
        "She wrote a note saying sorry to her family.",
    ],
)
def test_more_risk_wordings_route(text: str) -> None:
    _routes(text)


@pytest.mark.parametrize(
    "text",
    ["He hasn't self harmed for six months.", "No self-harm since Christmas."],
)
def test_a_gap_since_self_harm_means_it_happened_and_routes(text: str) -> None:
    assert any(f.status is H for f in _routes(text).flags)


@pytest.mark.parametrize(
    "text",
    [
        "No current or previous self-harm.",
        "Her brother was in care after being neglected by his birth parents.",
        "His phone keeps going missing at school.",
        "She bruised her knee playing netball.",
        "He just wants to be left alone when he is upset.",
    ],
)
def test_more_non_risk_wordings_do_not_route(text: str) -> None:
    _does_not_route(text)


@pytest.mark.parametrize(
    "text",
    [
        "She's been talking about wanting to go to sleep forever.",
        "Mum is worried as she found a list of ways to die in her diary.",
        "He says life isn't worth it any more.",
        "Ambulance called after she swallowed a packet of pills.",
        "She has been physically aggressive to staff, kicking and biting.",
        "She says her stepdad comes into her room at night.",
        "An adult neighbour has been giving him cigarettes and money.",
        "He has been staying out until 3am with people much older than him.",
        "If he is sent to his dad's he says he will hang himself.",
    ],
)
def test_signs_and_methods_route(text: str) -> None:
    _routes(text)


@pytest.mark.parametrize(
    "text",
    [
        "She watched a documentary about suicide for her A-level project.",
        "He is reading a book about knife crime for English.",
        "He cut his knee falling off his bike.",
    ],
)
def test_topics_and_accidents_do_not_route(text: str) -> None:
    _does_not_route(text)


@pytest.mark.parametrize(
    "text",
    [
        "15yo F, low mood 6/12, SH ++ (cutting), no SI.",
        "Hx OD x2 (2023, 2024).",
        "Pt reports passive SI, no plan.",
        "Risk: high - access to means (paracetamol at home).",
        "Self harm: yes, scratching.",
        'she said "i just want it all to be over"',
        "every1 wud b better off without me tbh",
        "been cuttin again, dont tell mum",
        "my step mum locks me in my room with no food",
        "theres this guy online whos 25 he says he loves me and wants to meet",
        "The child disclosed being hit with a belt.",
    ],
)
def test_clinical_forms_and_text_speak_route(text: str) -> None:
    _routes(text)


@pytest.mark.parametrize(
    "text",
    [
        "15yo M, low mood 3/12, no SH, no SI.",
        "Risk: low. No self-harm, no suicidal ideation, no risk to others.",
        "Self harm: no. Suicidal thoughts: no.",
        "Denies SI/SH/HI.",
        "Not currently self harming.",
        "Sibling known to CAMHS for self-harm.",
    ],
)
def test_clinical_negative_screens_do_not_route(text: str) -> None:
    _does_not_route(text)


@pytest.mark.parametrize(
    "text",
    [
        "My daughter says she can't see the point of being alive.",
        "Since her dad left she keeps saying she wishes she could just not exist.",
        "He took a load of his mum's sleeping tablets on Saturday night.",
        "Our son has been hitting his head against the wall when upset.",
        "He has made comments like 'soon I won't be a problem for anyone'.",
        "She has given her cat to her friend and deleted all her social media.",
        "He asked his friend how much paracetamol would kill someone.",
        "He keeps a penknife in his school bag and has threatened younger pupils with it.",
        "He says he fantasises about shooting people at school.",
        "Her mum's new partner has a conviction for offences against children.",
        "Teachers have noticed she flinches when adults raise their hands.",
        "He often has no lunch and his clothes are too small and smell.",
        "She said she was strangled by her ex-boyfriend.",
        "He denies wanting to die, however he has recently researched methods.",
        "She hasn't cut for a while but relapsed last night.",
        "He has said that if he is bullied again he will bring a knife.",
    ],
)
def test_parent_and_school_wordings_route(text: str) -> None:
    _routes(text)


def test_someone_elses_subject_carries_across_and() -> None:
    report = _does_not_route("Her cousin took an overdose and then tried to hang himself.")
    assert all(f.status is O for f in report.flags)


def test_a_new_subject_after_and_is_the_child() -> None:
    _routes("Her cousin took an overdose and she has started cutting too.")


def test_school_lesson_about_grooming_does_not_route() -> None:
    _does_not_route("She is learning about online safety and grooming in PSHE.")


def test_a_friend_after_a_preposition_is_not_the_subject() -> None:
    _routes("She is worried about her friend and has been cutting her legs.")


@pytest.mark.parametrize(
    "text",
    [
        "Although she denies self-harm, staff saw blood on her sleeve.",
        "She won't talk about it but her wrists are bandaged.",
        "She doesn't self-harm any more but did when she was 13.",
        "He isn't sure whether he wants to be alive.",
        "Her mum worries she will try again.",
        "He has been writing about death a lot and says he wants to join his grandad.",
        "She said 'what's the point of me being here'.",
        "He's been self-medicating with his mum's diazepam and took too many last week.",
        "he said his life would be better if he was dead",
        "She told a friend she has been sick on purpose and cuts when she feels fat.",
    ],
)
def test_signs_doubts_and_past_in_other_words_route(text: str) -> None:
    _routes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Self-harm risk assessed as low; no history.",
        "He is worried about his dad, who keeps saying he wants to end it all.",
        "His girlfriend has been cutting and he doesn't know how to help.",
        "The film had a character who tried to kill herself.",
    ],
)
def test_assessments_and_others_do_not_route(text: str) -> None:
    _does_not_route(text)


@pytest.mark.parametrize(
    "text",
    [
        "He said he feels like ending it and has been sat in his car by the river.",
        "She is hiding food and has been making herself bleed with her nails.",
        "She has been sleeping at a 19-year-old's flat.",
        "He stole his nan's pills and hid them in his room.",
        "i dont wanna be alive",
        "She has carved her ex's name into her leg.",
        "Their neighbour reported hearing screaming and the children crying most nights.",
    ],
)
def test_round_six_wordings_route(text: str) -> None:
    _routes(text)
