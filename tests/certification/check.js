// The checks a deployer runs before certification, offline: ssml-check-core (Amazon's SSML rules)
// on every SSML string and apl-suggester on every APL document. Reads
// {"ssml": [string, ...], "apl": [document, ...]} on stdin; prints
// {"ssml": [[problem, ...], ...], "apl": [[problem, ...], ...]}, one list per input.
"use strict";
const ssmlCheck = require("ssml-check-core");
const { StaticAplTemplateValidator } = require("apl-suggester");

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const ssml = [];
  for (const text of input.ssml || []) {
    const found = await ssmlCheck.check(text, { platform: "amazon" });
    ssml.push(found || []);
  }
  const apl = [];
  for (const document of input.apl || []) {
    apl.push(await new StaticAplTemplateValidator().validate(document));
  }
  process.stdout.write(JSON.stringify({ ssml, apl }) + "\n");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
