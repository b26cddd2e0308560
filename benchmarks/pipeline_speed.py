"""Pipeline speed, measured: run by hand from the course folder.

    python benchmarks/pipeline_speed.py            # the full run: prints the tables (a few minutes)
    python benchmarks/pipeline_speed.py --short    # the notebook's short run
    python benchmarks/pipeline_speed.py --save     # also writes results/pipeline_speed.json
    python benchmarks/pipeline_speed.py --help     # every option

CIFAR-10 is found as in every lesson (``COURSE_DATA_DIR``, then the cache).

It measures, side by side on the same CIFAR-10 batches (32 x 32, batch size 64)
with comparable random changes (rotation, shifts, horizontal flip, brightness):
images per second of ImageDataGenerator.flow, of tf.data with Keras
preprocessing layers, and of the course's AugmentingSequence; and the course
CNN's epoch time with augmentation in tf.data divided by its epoch time
without. All the work is in ``course_lib.benchmark``; this file only calls it.
Timings depend on the machine and on what else runs on it: close other heavy
programs, and read the load average the script prints.
"""

from __future__ import annotations

import course_lib  # noqa: F401  (quiet TensorFlow start-up)
from course_lib.benchmark import main

if __name__ == "__main__":
    raise SystemExit(main())
