"""Source answers, time spans and confidence calibration, on invented strings."""

from claims.annotator import annotate_texts
from claims.annotator.checks import answer
from claims.annotator.config import Config


def test_a_bare_no_or_yes_is_an_answer_but_no_one_is_not():
    assert answer("No.") == "no"
    assert answer("No, the photo was taken in 2013.") == "no"
    assert answer("Yes") == "yes"
    assert answer("No one was hurt in the fire.") is None
    assert answer("No evidence was found.") is None


def test_different_spans_of_time_are_not_a_number_mismatch():
    source = "Glaciers in the valley have retreated over the last 150 years, the survey found."
    s = annotate_texts("Glaciers in the valley have retreated over the last 40 years.", [source])[0]
    assert s.reason_code != "number-mismatch"


def test_calibration_maps_a_raw_confidence_per_group():
    config = Config.load()
    config.calibration = {"sourced": [0.5, 0.0]}
    assert config.calibrate("sourced", 0.5) == 0.5
    assert 0.5 < config.calibrate("sourced", 0.9) < 0.9  # over-confident group pulled in
    assert config.calibrate("opinion", 0.9) == 0.9  # no map: unchanged
