"""Satgas views, split by area; satgas/urls.py names each module."""
