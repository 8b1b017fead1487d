"""A creator's public profile: their things with counts and the patrons who support them publicly."""
