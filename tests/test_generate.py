from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from news.models import Official, Organisation, Release

pytestmark = pytest.mark.django_db


def test_generates_published_releases_with_everything_they_mention():
    call_command("generate_releases", "40")

    assert Release.objects.count() == 40
    assert Release.objects.published().count() == 40
    release = Release.objects.first()
    assert release.officials.exists()
    assert release.organisations.exists()
    assert release.tags.exists()
    assert release.sources.get().is_primary


def test_the_same_seed_gives_the_same_releases(tmp_path):
    first, second, other = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    call_command("generate_releases", "25", "--seed", "7", "--jsonl", str(first))
    call_command("generate_releases", "25", "--seed", "7", "--jsonl", str(second))
    call_command("generate_releases", "25", "--seed", "8", "--jsonl", str(other))

    assert first.read_text() == second.read_text()
    assert first.read_text() != other.read_text()
    assert len([json.loads(line) for line in first.read_text().splitlines()]) == 25


def test_officials_and_organisations_are_shared_across_releases():
    call_command("generate_releases", "200")
    assert Official.objects.count() <= 300
    assert Organisation.objects.count() <= 100
    busiest = Official.objects.annotate(n=Count("releases")).order_by("-n").first()
    assert busiest.n > 1


def test_zero_releases_is_refused():
    with pytest.raises(CommandError):
        call_command("generate_releases", "0")
