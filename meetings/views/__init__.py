"""Views of the meeting cycle: `staff` and `agenda` for the secretariat (under
/workspace/<partnership>/meetings/), `public` for everyone. The record pages
(attendance, minutes, decisions, actions) live in `record*.py` beside these."""
