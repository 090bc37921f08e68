"""What a VibeML training job prints, as `sky logs` shows it.

Lines carry SkyPilot's per-process prefix ("(setup pid=N) ", "(<task>, pid=N) "), tqdm progress
bars redrawn with '\r' inside one line, colorama colours, and the training script's
'@@VIBEML@@ {json}' progress lines. Each line has a fraction of the job's active time at which it
appears, so a follower sees them arrive while the job runs. Everything is computed from the job
record, so two invocations print exactly the same bytes.
"""
import json
import math

from . import output as o

SETUP_PID = 2841
RUN_PID = 3012


def _bar(fraction, width=10):
    full = int(fraction * width)
    partial = ' ▏▎▍▌▋▊▉'[int((fraction * width - full) * 8)] if full < width else ''
    return ('█' * full + partial).ljust(width)


def _tqdm(label, total, unit, rate, updates=4, first=0, last=None):
    """One tqdm progress line: the bar redrawn with '\r' as it fills from `first` to `last`."""
    last = total if last is None else last
    head = f'{label}: ' if label else ''
    segments = []
    for k in range(updates + 1):
        done = round(first + (last - first) * k / updates)
        pct = int(100 * done / total)
        per_second = 1 / rate if unit.startswith('s/') else rate
        elapsed = done / per_second
        remaining = (total - done) / per_second
        segments.append(f'{head}{pct:3d}%|{_bar(done / total)}| {done}/{total} '
                        f'[{int(elapsed // 60):02d}:{int(elapsed % 60):02d}<'
                        f'{int(remaining // 60):02d}:{int(remaining % 60):02d}, {rate:.2f}{unit}]')
    return '\r'.join(segments)


def _event(name, time_value, **fields):
    body = {'event': name, 'time': round(time_value, 3)}
    body.update(fields)
    return '@@VIBEML@@ ' + json.dumps(body, separators=(', ', ': '))


def lines(job, start, end_fraction, final):
    """[(fraction, text)] for the whole job; text has no trailing newline."""
    span = job['job_seconds']
    task = job.get('name') or 'task'
    setup = f'(setup pid={SETUP_PID}) '
    run = f'({task}, pid={RUN_PID}) '
    model = job.get('model') or 'Qwen/Qwen2.5-0.5B-Instruct'
    dataset = job.get('dataset') or 'HuggingFaceH4/ultrachat_200k'
    method = job.get('method') or 'lora'
    gpus = job.get('gpus', 1)
    nodes = job.get('num_nodes', 1)
    total_lines = max(12, int(job.get('log_lines', 40)))
    steps_logged = max(3, (total_lines - 12) // 3)
    logging_steps = 10
    total_steps = steps_logged * logging_steps
    rows = total_steps * 8

    def at(fraction):
        return (start if start is not None else job['submitted_at']) + fraction * span

    result = []

    def add(fraction, text):
        result.append((fraction, text))

    # Setup: pip, with a warning in yellow.
    add(0.00, setup + 'Collecting torch==2.5.1 (from -r requirements.txt (line 1))')
    add(0.03, setup + '  Downloading torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl (906.4 MB)')
    add(0.06, setup + '\r'.join(f'   {o.RED}' + '━' * (8 * k) + o.LIGHTBLACK + '━' * (40 - 8 * k) + o.RESET
                                  + f' {906.4 * k / 5:.1f}/906.4 MB 180.2 MB/s eta 0:00:0{5 - k}'
                                  for k in range(1, 6)))
    add(0.10, setup + o.YELLOW + "WARNING: Running pip as the 'root' user can result in broken permissions and "
            'conflicting behaviour with the system package manager.' + o.RESET)
    add(0.15, setup + 'Successfully installed accelerate-1.2.1 datasets-3.2.0 peft-0.14.0 '
            'transformers-4.47.1 trl-0.13.0')

    # Run: load, start event, data preparation.
    add(0.20, run + f'Loading model {model} ({method})')
    add(0.22, run + _tqdm('Loading checkpoint shards', 2, 's/it', 2.41, updates=2))
    add(0.24, run + o.YELLOW + '`use_cache=True` is incompatible with gradient checkpointing. '
            'Setting `use_cache=False`.' + o.RESET)
    add(0.25, run + _event('start', at(0.25), model=model, dataset=dataset, method=method,
                           totalSteps=total_steps, gpus=gpus, nodes=nodes, rows=rows, resumedFromStep=0))
    add(0.27, run + _tqdm('Map', rows, ' examples/s', 2100.0))

    failing = final in ('FAILED',)
    last_step_fraction = 0.95
    steps_to_show = steps_logged
    if failing:
        steps_to_show = max(1, int(steps_logged * 0.6))
    loss = 2.0
    learning_rate = 2e-4
    for k in range(1, steps_to_show + 1):
        fraction = 0.28 + (last_step_fraction - 0.28) * k / steps_logged
        step = k * logging_steps
        loss = round(0.35 + 1.75 * math.exp(-0.35 * k) + 0.02 * ((k * 7919) % 5) / 5, 4)
        learning_rate = 2e-4 * 0.5 * (1 + math.cos(math.pi * step / total_steps))
        epoch = round(step / total_steps, 2)
        add(fraction - 0.01, run + _tqdm('', total_steps, 'it/s', 1.6, updates=2, first=step - logging_steps,
                                         last=step))
        add(fraction - 0.005, run + f"{{'loss': {loss}, 'grad_norm': {round(0.9 / k ** 0.5, 4)}, "
                                    f"'learning_rate': {learning_rate:.6g}, 'epoch': {epoch}}}")
        remaining = (total_steps - step) / 1.6
        add(fraction, run + _event('progress', at(fraction), step=step, totalSteps=total_steps, loss=loss,
                                   learningRate=float(f'{learning_rate:.6g}'), epoch=epoch,
                                   tokensPerSecond=2740.5, etaSeconds=int(remaining), gpuMemoryGB=21.4))
        if k == steps_logged // 2:
            add(fraction + 0.002, run + _event('checkpoint', at(fraction + 0.002), step=step,
                                               path=f'outputs/checkpoint-{step}'))

    if failing:
        add(0.96, run + _event('error', at(0.96), kind='oom',
                               message='CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total '
                                       'capacity of 79.10 GiB of which 1.23 GiB is free.'))
        traceback = [
            'Traceback (most recent call last):',
            '  File "/home/sky/sky_workdir/train.py", line 412, in <module>',
            '    main()',
            '  File "/home/sky/sky_workdir/train.py", line 398, in main',
            '    trainer.train()',
            '  File "/opt/conda/lib/python3.11/site-packages/transformers/trainer.py", line 2164, in train',
            '    return inner_training_loop(',
            '           ^^^^^^^^^^^^^^^^^^^^',
            'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total '
            'capacity of 79.10 GiB of which 1.23 GiB is free.',
        ]
        for index, text in enumerate(traceback):
            add(0.97 + 0.002 * index, run + text)
        add(0.995, o.RED + f'ERROR: Job {job["id"]} failed with return code list: [1] ' + o.RESET)
    else:
        add(0.96, run + _event('eval', at(0.96), step=total_steps, evalLoss=round(loss + 0.07, 4)))
        add(0.97, run + _event('checkpoint', at(0.97), step=total_steps, path=f'outputs/checkpoint-{total_steps}'))
        add(0.98, run + o.GREEN + 'Training finished.' + o.RESET + ' Saved adapter to outputs')
        add(0.99, run + _event('done', at(0.99), outputDir='outputs', hubRepo='', hubUrl='', steps=total_steps,
                               finalLoss=loss, stoppedEarly=False))

    return [(f, t) for f, t in result if f <= end_fraction + 1e-9]


def finished_line(status):
    colour = o.GREEN if status == 'SUCCEEDED' else (o.YELLOW if status == 'CANCELLED' else o.RED)
    mark = '✓' if status == 'SUCCEEDED' else '✗'
    return f'{colour}{mark} Job finished (status: {status}).{o.RESET}'
