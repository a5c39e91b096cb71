"""Tests of cleanlab.token_classification (a package so that file names may repeat)."""
