"""The cold-start anchor: a hello-world ask-sdk-core skill, as the ASK docs write it.

perf_bench.py runs it from the unzipped Lambda zip's dependencies on the same bare interpreter as
the Hip Coach handler: ``hello_skill.lambda_handler`` answers a LaunchRequest and nothing else.
"""

from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type

sb = SkillBuilder()


@sb.request_handler(can_handle_func=is_request_type("LaunchRequest"))
def launch(handler_input):  # type: ignore[no-untyped-def]
    return (
        handler_input.response_builder.speak("Hello, world.").set_should_end_session(True).response
    )


lambda_handler = sb.lambda_handler()
