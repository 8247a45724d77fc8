"""The gallery part of the Atrium service."""
