"""`construct` makes the same objects as pydantic's `model_construct`."""

from __future__ import annotations

import copy
import pickle

import pytest

from thrive_ml.result import Explanation, PossibleRisk, RiskFlag, TriageResult, construct
from thrive_ml.taxonomy import ContextStatus, RiskIndicator, ThriveGroup

VALUES = [
    (Explanation, {"start": 3, "end": 9, "text": "cutting", "weight": 1.25}),
    (PossibleRisk, {"start": 0, "end": 20, "text": "I can't go on", "probability": 0.91}),
    (
        RiskFlag,
        {
            "indicator": RiskIndicator.SELF_HARM,
            "status": ContextStatus.AFFIRMED,
            "start": 4,
            "end": 11,
            "text": "cutting",
        },
    ),
]


@pytest.mark.parametrize(("model", "values"), VALUES)
def test_construct_equals_model_construct(model, values):
    ours, theirs = construct(model, **values), model.model_construct(**values)
    assert type(ours) is model
    assert ours == theirs
    assert hash(ours) == hash(theirs)  # frozen models hash by their fields
    assert ours.model_dump(mode="json") == theirs.model_dump(mode="json")
    assert ours.model_dump_json() == theirs.model_dump_json()
    assert ours.model_fields_set == theirs.model_fields_set
    assert repr(ours) == repr(theirs)
    assert pickle.loads(pickle.dumps(ours)) == theirs  # noqa: S301 - our own bytes, just made
    assert copy.deepcopy(ours) == theirs
    assert ours.model_copy(update={"start": 1}).start == 1


def test_a_constructed_object_goes_into_a_validated_result():
    flag = construct(RiskFlag, **VALUES[2][1])
    result = TriageResult(
        thrive_group=ThriveGroup.GETTING_HELP,
        thrive_probabilities=dict.fromkeys(ThriveGroup, 0.2),
        exclusion_factors=[],
        exclusion_probabilities={},
        risk_flags=[flag],
        needs_human_review=True,
        review_reasons=["risk:self_harm"],
        model_version="1",
        rules_version="2026.12.3",
        explanations=[construct(Explanation, **VALUES[0][1])],
    )
    assert result.risk_flags == [flag]
    assert TriageResult.model_validate_json(result.model_dump_json()) == result
