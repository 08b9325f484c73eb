#!/usr/bin/env python3
"""Runs a procedure's BPMN (spiffworkflow dialect) in SpiffWorkflow on every branch choice.

Usage: spiff_run.py PROCESS.bpmn PROCESS.workflow.json [--fire-timers] [--loops N]

The workflow spec tells which tasks decide a choice (`outcome_variable`) and the values
their outgoing transitions test. Every path is enumerated: a run follows a prefix of
decisions, then takes the `otherwise` value (else a value that does not loop back) at
each later choice; every later choice point spawns a new prefix for each other value.
A choice is taken at most N times on one path (default 2), which bounds loops.

With --fire-timers every timer fires at once (durations replaced by PT0S), so the
apology tasks open while their step is still waiting; the run must still complete.

Prints one JSON line with the number of runs and the paths; exits 1 if any run does not
reach the end of the process, 2 on a usage error.
"""

import json
import re
import sys

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

MAX_TASKS_PER_RUN = 500
MAX_RUNS = 5000


def load(bpmn_path, spec_path, fire_timers):
    with open(bpmn_path, encoding="utf-8") as f:
        xml = f.read()
    if fire_timers:
        xml = re.sub(
            r"(<bpmn:timeDuration[^>]*>)[^<]*(</bpmn:timeDuration>)",
            r'\1"PT0S"\2',
            xml,
        )
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    parser = BpmnParser()
    parser.add_bpmn_str(xml.encode("utf-8"), filename=bpmn_path)
    process_id = "Process_" + spec["procedure"]["id"]
    return parser.get_spec(process_id), spec


def choices(spec):
    """Per deciding step id: (variable, [(value, is_default, back_edge)], {value: targets}).

    The targets are the BPMN element ids the chosen flow may enter: the task or gateway
    itself, or the merging gateway in front of it.
    """
    out = {}
    for gw in spec["gateways"]:
        if gw["kind"] != "exclusive":
            continue
        options = []
        targets = {}
        for t in spec["transitions"]:
            if t["from"] == {"gateway": gw["id"]} and t["condition"]:
                c = t["condition"]
                options.append((c["value"], c["default"], t["back_edge"]))
                if "task" in t["to"]:
                    element = "Task_" + t["to"]["task"]
                else:
                    element = "Gateway_" + t["to"]["gateway"]
                targets[c["value"]] = {element, "Gateway_merge_" + element}
        out[gw["after"]] = (gw["variable"], options, targets)
    return out


def entered(task, gateway_name):
    """The element names the completed gateway after a task sent the token to."""
    queue = [(task, 0)]
    while queue:
        t, depth = queue.pop(0)
        if t.task_spec.name == gateway_name:
            if t.state != TaskState.COMPLETED:
                return None
            return {c.task_spec.name.split(".")[0] for c in t.children}
        if depth < 8:
            queue.extend((c, depth + 1) for c in t.children)
    return None


def preferred(options):
    """The value a run takes past its prefix: the default, else one not looping back."""
    for value, default, back in options:
        if default and not back:
            return value
    for value, _, back in options:
        if not back:
            return value
    return options[0][0]


def run_once(process, decide, prefix, fire_timers):
    """Runs one instance; returns (completed, decisions, executed task names)."""
    wf = BpmnWorkflow(process)
    wf.do_engine_steps()
    decisions = []
    executed = []
    for _ in range(MAX_TASKS_PER_RUN):
        if fire_timers:
            wf.refresh_waiting_tasks()
            wf.do_engine_steps()
        if wf.is_completed():
            return True, decisions, executed
        ready = wf.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            wf.refresh_waiting_tasks()
            wf.do_engine_steps()
            if wf.is_completed():
                return True, decisions, executed
            if not wf.get_tasks(state=TaskState.READY, manual=True):
                return False, decisions, executed
            continue
        ready.sort(key=lambda t: (t.task_spec.name.startswith("Task_apology_"), t.task_spec.name))
        task = ready[0]
        name = task.task_spec.name
        step = name[len("Task_"):] if name.startswith("Task_") else None
        value = None
        if step in decide:
            variable, options, _ = decide[step]
            i = len(decisions)
            value = prefix[i][1] if i < len(prefix) else preferred(options)
            decisions.append((step, value))
            task.set_data(**{variable: value})
        executed.append(name)
        task.run()
        wf.do_engine_steps()
        if value is not None:
            went = entered(task, "Gateway_choice_" + step)
            expected = decide[step][2][value]
            if not went or not went <= expected:
                executed.append(f"wrong branch after {step}={value}: {went}")
                return False, decisions, executed
    return False, decisions, executed


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    fire_timers = "--fire-timers" in argv
    loops = 2
    for a in argv:
        if a.startswith("--loops="):
            loops = int(a.split("=", 1)[1])
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    process, spec = load(args[0], args[1], fire_timers)
    decide = choices(spec)
    pending = [[]]
    seen = set()
    runs = []
    runs_executed = []
    failures = []
    while pending and len(runs) < MAX_RUNS:
        prefix = pending.pop()
        completed, decisions, executed = run_once(process, decide, prefix, fire_timers)
        runs.append(decisions)
        runs_executed.append(executed)
        if not completed:
            failures.append({"decisions": decisions, "last_tasks": executed[-5:]})
            continue
        for j in range(len(prefix), len(decisions)):
            step, taken = decisions[j]
            earlier = sum(1 for s, _ in decisions[:j] if s == step)
            if earlier + 1 > loops:
                continue
            for value, _, _ in decide[step][1]:
                if value == taken:
                    continue
                alt = tuple(decisions[:j]) + ((step, value),)
                if alt not in seen:
                    seen.add(alt)
                    pending.append(list(alt))
    apologies = sum(1 for r in runs_executed for name in r if name.startswith("Task_apology_"))
    timers = "<bpmn:timeDuration" in open(args[0], encoding="utf-8").read()
    if fire_timers and timers and apologies == 0:
        failures.append({"decisions": [], "last_tasks": ["no timer fired"]})
    covered = sorted({(s, v) for d in runs for s, v in d})
    wanted = sorted({(s, v) for s, (_, opts, _) in decide.items() for v, _, _ in opts})
    missing = [f"{s}={v}" for s, v in wanted if (s, v) not in covered]
    report = {
        "process": spec["procedure"]["id"],
        "runs": len(runs),
        "failures": failures,
        "outcomes_not_taken": missing,
        "fire_timers": fire_timers,
        "apology_tasks": apologies,
    }
    print(json.dumps(report, ensure_ascii=False))
    return 1 if failures or missing or pending else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
