"""Experimental tools whose API may still change."""
