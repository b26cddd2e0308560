"""One Keras layer that makes every geometric change in a single resampling (plumbing for lesson 05).

Keras's stock stack ``RandomRotation`` → ``RandomTranslation`` →
``RandomFlip`` passes over each image once per layer: the rotation
interpolates the pixels, the translation interpolates the interpolated
pixels, the flip copies them. Each pass costs time, and each interpolation
blurs a little. A rotation, a shift and a
mirror are all *affine* maps, so they compose into one 2 x 3 matrix, and one
resampling with that matrix gives the same kind of picture:

    output point = R · F · (source point - centre) + centre + shift

(``R`` a rotation, ``F`` = diag(±1, 1) the optional mirror; the layer
resamples with the inverse map.)
The matrices are the teaching code of lesson 05: :func:`affine_transforms`
is defined in a ``#@save`` cell of ``notebooks/05_keras_layers_and_tfdata.ipynb``
and imported here from :mod:`course_lib.lessons.l05_keras_layers_and_tfdata`
(tested against the NumPy engine :mod:`course_lib.transforms`, ``np.rot90``
and array shifts). :class:`RandomAffine`, the Keras layer around them, draws
the parameters per image and calls
``keras.ops.image.affine_transform`` once per batch; it can also add a
random brightness in the same call, so the whole comparable augmentation of
lesson 05 is one layer with one random draw per image. Lesson 05 and
``benchmarks/pipeline_speed.py`` measure what this saves in an epoch.

Units are the course's plain ones: degrees for the rotation, fractions of
the width (left/right) and of the height (up/down) for the shifts, with
none of ``ImageDataGenerator``'s swapped axes.
"""

from __future__ import annotations

from typing import Any

from . import _validate
from .reproducibility import import_tensorflow

import_tensorflow()  # quiet start-up before Keras loads TensorFlow
import keras  # noqa: E402

from .lessons.l05_keras_layers_and_tfdata import affine_transforms  # noqa: E402  (the lesson's #@save cell)

#: Fill modes ``keras.ops.image.affine_transform`` accepts for the pixels a change uncovers.
FILL_MODES: tuple[str, ...] = ("nearest", "constant", "reflect", "wrap", "mirror")
#: Interpolations the TensorFlow backend supports.
INTERPOLATIONS: tuple[str, ...] = ("bilinear", "nearest")


@keras.saving.register_keras_serializable(package="course_lib")
class RandomAffine(keras.layers.Layer):
    """Random rotation, shifts and left-right mirror, composed and applied in one resampling.

    Per image, independently: a turn by up to ``±rotation_degrees``; a shift
    by up to ``±width_shift`` of the width (left/right) and ``±height_shift``
    of the height (up/down); a mirror with probability 1/2 when
    ``horizontal_flip``; and, after the resampling, ``±brightness`` of the
    ``value_range`` span added to every pixel (clipped to the range, as
    ``RandomBrightness`` does; an affine change of the values). Active only with ``training=True`` (as in ``fit``,
    or when called in a ``tf.data`` map as ``layer(x, training=True)``);
    the identity otherwise, like Keras's own random layers. Expects
    channels-last images, one (``H x W x C``) or a batch (``N x H x W x C``).

    Pixels the change uncovers are filled by ``fill_mode`` (default
    ``"nearest"``, the ``ImageDataGenerator`` default; Keras's layers
    default to ``"reflect"``) with ``fill_value`` for ``"constant"``.
    """

    def __init__(
        self,
        rotation_degrees: float = 0.0,
        width_shift: float = 0.0,
        height_shift: float = 0.0,
        horizontal_flip: bool = False,
        brightness: float = 0.0,
        *,
        value_range: tuple[float, float] = (0.0, 255.0),
        fill_mode: str = "nearest",
        fill_value: float = 0.0,
        interpolation: str = "bilinear",
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.rotation_degrees = _validate.number("rotation_degrees", rotation_degrees, minimum=0.0, maximum=180.0)
        self.width_shift = _validate.number("width_shift", width_shift, minimum=0.0, maximum=1.0)
        self.height_shift = _validate.number("height_shift", height_shift, minimum=0.0, maximum=1.0)
        if not isinstance(horizontal_flip, bool):
            raise TypeError(f"horizontal_flip must be True or False, got {horizontal_flip!r}")
        self.horizontal_flip = horizontal_flip
        self.brightness = _validate.number("brightness", brightness, minimum=0.0, maximum=1.0)
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise TypeError(f"value_range must be a pair (low, high), got {value_range!r}")
        low = _validate.number("value_range[0]", value_range[0])
        high = _validate.number("value_range[1]", value_range[1])
        if not low < high:
            raise ValueError(f"value_range must have low < high, got {value_range!r}")
        self.value_range = (low, high)
        self.fill_mode = _validate.one_of("fill_mode", fill_mode, FILL_MODES)
        self.fill_value = _validate.number("fill_value", fill_value)
        self.interpolation = _validate.one_of("interpolation", interpolation, INTERPOLATIONS)
        self.seed = None if seed is None else _validate.integer("seed", seed, minimum=0)
        self.seed_generator = keras.random.SeedGenerator(self.seed)
        self.supports_masking = False

    def call(self, inputs, training: bool = True):
        from keras import ops

        if not training:
            return inputs
        rank = len(inputs.shape)
        if rank not in (3, 4):
            raise ValueError(f"inputs must be one H x W x C image or a batch N x H x W x C, got shape "
                             f"{tuple(inputs.shape)}")
        images = ops.expand_dims(inputs, 0) if rank == 3 else inputs
        height, width = images.shape[1], images.shape[2]
        if height is None or width is None:
            raise ValueError("inputs must have a known height and width")
        dtype = images.dtype
        if dtype != "float32":
            images = ops.cast(images, "float32")
        # One draw per image for everything, uniform in [-1, 1): few ops per batch keeps tf.data fast.
        u = keras.random.uniform((ops.shape(images)[0], 5), -1.0, 1.0, seed=self.seed_generator)
        flips = u[:, 3] < 0.0 if self.horizontal_flip else ops.zeros_like(u[:, 3])
        transforms = affine_transforms(u[:, 0] * self.rotation_degrees, u[:, 1] * (self.width_shift * width),
                                       u[:, 2] * (self.height_shift * height), flips, height=height, width=width)
        out = ops.image.affine_transform(images, transforms, interpolation=self.interpolation,
                                         fill_mode=self.fill_mode, fill_value=self.fill_value)
        if self.brightness:
            low, high = self.value_range
            offset = u[:, 4] * (self.brightness * (high - low))
            out = ops.clip(out + offset[:, None, None, None], low, high)
        if dtype != "float32":
            out = ops.cast(out, dtype)
        return out[0] if rank == 3 else out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"rotation_degrees": self.rotation_degrees, "width_shift": self.width_shift,
                       "height_shift": self.height_shift, "horizontal_flip": self.horizontal_flip,
                       "brightness": self.brightness, "value_range": list(self.value_range),
                       "fill_mode": self.fill_mode, "fill_value": self.fill_value,
                       "interpolation": self.interpolation, "seed": self.seed})
        return config


__all__ = ["FILL_MODES", "INTERPOLATIONS", "RandomAffine", "affine_transforms"]
