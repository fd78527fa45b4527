// Drives whole conversations through Bespoken's virtual-alexa: it resolves each utterance from
// the interaction model alone (not the skill's own NLU) and posts the request to the skill's
// web endpoint. virtual-alexa fills a custom slot only with one of its values, where Alexa
// returns any words heard: an utterance it cannot match goes, as on Alexa, to the catch-all
// sample with the most carrier words around its one slot, the rest of the words in the slot. Input on stdin: {"model": PATH, "url": URL, "locale": L, "conversations":
// [[utterance, ...], ...]}. Output on stdout: one JSON list of turn lists, each turn
// {"utterance", "intent", "slots", "speech", "session"}. "open hip coach" is a launch.
"use strict";
const fs = require("fs");
const { VirtualAlexa } = require("virtual-alexa");

function catchAll(model, utterance) {
  const words = utterance.toLowerCase().replace(/[^a-z0-9' ]+/g, " ").split(/\s+/).filter(Boolean);
  let best = null;
  for (const intent of model.intents) {
    const slots = intent.slots || [];
    if (slots.length !== 1) continue;
    for (const sample of intent.samples || []) {
      const parts = sample.split(" ");
      const at = parts.indexOf("{" + slots[0].name + "}");
      if (at < 0) continue;
      const before = parts.slice(0, at);
      const after = parts.slice(at + 1);
      const rest = words.length - before.length - after.length;
      if (rest <= 0) continue;
      const fits = before.every((w, i) => words[i] === w) &&
        after.every((w, i) => words[words.length - after.length + i] === w);
      if (fits && (!best || before.length + after.length > best.score)) {
        best = {
          score: before.length + after.length,
          intent: intent.name,
          slots: { [slots[0].name]: words.slice(before.length, before.length + rest).join(" ") },
        };
      }
    }
  }
  return best;
}

async function converse(spec, utterances) {
  const alexa = VirtualAlexa.Builder()
    .interactionModelFile(spec.model)
    .skillURL(spec.url)
    .locale(spec.locale)
    .create();
  const model = JSON.parse(fs.readFileSync(spec.model, "utf8")).interactionModel.languageModel;
  let sent = null;
  alexa.filter((request) => { sent = request.request; });
  const turns = [];
  for (const utterance of utterances) {
    let reply;
    if (/^open hip coach$/i.test(utterance)) {
      reply = await alexa.launch();
    } else {
      try {
        reply = await alexa.utter(utterance);
      } catch (error) {
        const routed = catchAll(model, utterance);
        if (!routed || !/Unable to match utterance/.test(String(error))) throw error;
        reply = await alexa.intend(routed.intent, routed.slots);
      }
    }
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
