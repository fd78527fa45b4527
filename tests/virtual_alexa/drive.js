// Drives whole conversations through Bespoken's virtual-alexa: it resolves each utterance from
// the interaction model alone (not the skill's own NLU) and posts the request to the skill's
// web endpoint. Input on stdin: {"model": PATH, "url": URL, "locale": L, "conversations":
// [[utterance, ...], ...]}. Output on stdout: one JSON list of turn lists, each turn
// {"utterance", "intent", "slots", "speech", "session"}. "open hip coach" is a launch.
"use strict";
const { VirtualAlexa } = require("virtual-alexa");

async function converse(spec, utterances) {
  const alexa = VirtualAlexa.Builder()
    .interactionModelFile(spec.model)
    .skillURL(spec.url)
    .locale(spec.locale)
    .create();
  let sent = null;
  alexa.filter((request) => { sent = request.request; });
  const turns = [];
  for (const utterance of utterances) {
    const reply = /^open hip coach$/i.test(utterance) ? await alexa.launch() : await alexa.utter(utterance);
    const intent = sent && sent.intent ? sent.intent : null;
    const slots = {};
    for (const [name, slot] of Object.entries((intent && intent.slots) || {})) {
      if (slot && slot.value !== undefined) {
        const authority = slot.resolutions && slot.resolutions.resolutionsPerAuthority;
        const match = authority && authority.find((a) => a.status && a.status.code === "ER_SUCCESS_MATCH");
        slots[name] = match ? match.values[0].value.id : slot.value;
      }
    }
    const speech = reply.response && reply.response.outputSpeech ? reply.response.outputSpeech.ssml || "" : "";
    turns.push({
      utterance,
      intent: intent ? intent.name : sent && sent.type,
      slots,
      speech,
      session: reply.sessionAttributes || {},
      end: Boolean(reply.response && reply.response.shouldEndSession),
    });
    if (reply.response && reply.response.shouldEndSession) break;
  }
  return turns;
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const spec = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const out = [];
  for (const utterances of spec.conversations) out.push(await converse(spec, utterances));
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
