"""Notifications: what concerns a person, in an in-app list and one daily e-mail digest (see the README)."""
