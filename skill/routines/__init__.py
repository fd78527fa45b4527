"""Guided, timed stretch and strength routines: model, loader, player, speech, display."""
