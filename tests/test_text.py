import pytest

from assistant.text import normalise, split_sentences


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Multi-\nagency", "multi-agency"),
        ("Multi- \n  agency", "multi-agency"),
        ("\u2018front door\u2019", "'front door'"),
        ("\u201cquoted\u201d", '"quoted"'),
        ("2016\u20132017 \u2014 then", "2016-2017 - then"),
        ("  A   lot\tof\n\nspace ", "a lot of space"),
        ("\ufb01nding", "finding"),  # NFKC folds the ligature
    ],
)
def test_normalise_follows_goldset(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("It rose, e.g. in schools. Then fell.", ["It rose, e.g. in schools.", "Then fell."]),
        ("Dr. Smith led. Mr. Jones too.", ["Dr. Smith led.", "Mr. Jones too."]),
        ("Just eight of 222 did. 3.5% more.", ["Just eight of 222 did.", "3.5% more."]),
        (
            "Children said, \u2018it helps.\u2019 Staff agree.",
            ["Children said, \u2018it helps.\u2019", "Staff agree."],
        ),
        ("Ends without a stop", ["Ends without a stop"]),
        (
            "Section 20 of the Children Act 2004. Next",
            ["Section 20 of the Children Act 2004.", "Next"],
        ),
        ("lower case after. stop", ["lower case after. stop"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
