"""Hip Coach: the Alexa skill, chat console and web service on the forwardrules engine."""
