"""Every look-up by admission number refuses an unknown one with the same sentence
(storage/pupils.no_such_pupil), and changes nothing."""

import pytest

from skillsdesk.domain.errors import NotFound

MESSAGE = "No pupil has admission number 000000."


def test_every_lookup_names_the_unknown_number(services) -> None:  # type: ignore[no-untyped-def]
    s = services
    attempts = {
        "careers": lambda: s.careers.record_aspiration("000000", "Vet"),
        "observations": lambda: s.observations.list("000000"),
        "progress": lambda: s.progress.for_pupil(s.frameworks.current(), "000000",
                                                 s.school.current_year()),
        "passports": lambda: s.passports.pupils_for(admission_numbers=["000000"]),
        "subject access": lambda: s.sar.collect("000000"),
    }
    said = {}
    for area, attempt in attempts.items():
        with pytest.raises(NotFound) as refused:
            attempt()
        said[area] = str(refused.value)
    assert said == dict.fromkeys(attempts, MESSAGE)
    assert s.careers.aspirations() == []
