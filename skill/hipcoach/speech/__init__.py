"""What the skill says: texts per locale from content, safe SSML, responses, the result in words."""
