"""Drafts (G5): kept through a crash, offered only to the person who typed them."""

import uuid

import pytest

from skillsdesk.domain.errors import UserError
from skillsdesk.services.container import open_services
from skillsdesk.services.drafts import MAX_DRAFT
from tests.conftest import TODAY


def test_a_draft_outlives_the_process_and_belongs_to_its_author(services) -> None:
    ann, bob = uuid.uuid4(), uuid.uuid4()
    pupil = uuid.uuid4()
    assert services.drafts.save(ann, "Held the door for", {"pupil_ids": [pupil], "step": 3})
    assert not services.drafts.save(ann, "Held the door for", {"pupil_ids": [pupil], "step": 3})
    assert services.drafts.save(ann, "Held the door for the class", {"pupil_ids": [pupil]})
    folder = services.store.path.parent
    services.close()  # as good as a crash: nothing was cleared

    reopened = open_services(folder, today=TODAY)
    try:
        found = reopened.drafts.load(ann)
        assert found is not None and found.text == "Held the door for the class"
        assert found.pupil_ids == (pupil,) and found.saved_at.tzinfo is not None
        assert reopened.drafts.load(bob) is None and reopened.drafts.load(None) is None
        reopened.drafts.save(None, "typed before anyone signed in")
        assert reopened.drafts.load(None).text == "typed before anyone signed in"
        reopened.drafts.clear(ann)
        assert reopened.drafts.load(ann) is None
        reopened.drafts.save(None, "   ")  # an emptied note is no draft
        assert reopened.drafts.load(None) is None
        with pytest.raises(UserError):
            reopened.drafts.save(ann, "x" * (MAX_DRAFT + 1))
    finally:
        reopened.close()
