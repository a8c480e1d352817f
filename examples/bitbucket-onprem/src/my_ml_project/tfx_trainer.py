"""TFX's user code: the Transform component's `preprocessing_fn` and the Trainer's `run_fn`.

The Transform turns a raw row into one dense `features` vector: each numeric column z-scored,
each categorical one one-hot over a vocabulary learned from the data (plus one bucket for a value
it never saw). The Trainer fits this package's own Keras network (model.py's `build_network`) on
it and saves a SavedModel whose `serving_default` signature takes serialized `tf.Example`s of raw
rows, applies the same Transform graph and returns each row's churn probability.

tfx_pipeline.py names these functions by import path: each component imports them from the
installed package, here or in the image on a cluster.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import keras
import tensorflow as tf
import tensorflow_transform as tft

from .model import build_network

FEATURES = "features"
# The output of the `serving_default` signature.
PROBABILITY = "churn_probability"
# Rows shuffled at a time: the whole of the sample data.
SHUFFLE_BUFFER = 10_000


def _column(tensor: Any) -> Any:
    """A feature as one value per row: SchemaGen gives each column the shape [1]."""
    return tf.reshape(tensor, [-1])


def preprocessing_fn(inputs: Mapping[str, Any], custom_config: Mapping[str, Any]) -> dict[str, Any]:
    """The Transform graph: `features` (the network's input) and the label as a float."""
    columns = [
        tf.expand_dims(tft.scale_to_z_score(tf.cast(_column(inputs[name]), tf.float32)), axis=1)
        for name in custom_config["numeric"]
    ]
    for name, categories in custom_config["categorical"].items():
        index = tft.compute_and_apply_vocabulary(
            _column(inputs[name]), num_oov_buckets=1, vocab_filename=name
        )
        columns.append(tf.one_hot(index, depth=len(categories) + 1))
    target = custom_config["target"]
    return {FEATURES: tf.concat(columns, axis=1), target: tf.cast(_column(inputs[target]), tf.float32)}


def _dataset(patterns: Sequence[str], transform: Any, target: str, batch_size: int, seed: int) -> Any:
    """Batches of (features, label) from the Transform's gzipped TFRecord files, shuffled anew
    at each epoch."""
    files = [path for pattern in patterns for path in tf.io.gfile.glob(pattern)]
    spec = transform.transformed_feature_spec()

    def split(batch: Any) -> tuple[Any, Any]:
        parsed = tf.io.parse_example(batch, spec)
        return parsed[FEATURES], parsed[target]

    records = tf.data.TFRecordDataset(files, compression_type="GZIP")
    return records.shuffle(SHUFFLE_BUFFER, seed=seed).batch(batch_size).map(split)


def _serving_function(network: keras.Model, layer: Any, raw_spec: Mapping[str, Any]) -> Any:
    """`serving_default`: serialized raw rows in, the churn probability of each out."""

    def serve(examples: Any) -> dict[str, Any]:
        transformed = layer(tf.io.parse_example(examples, raw_spec))
        return {PROBABILITY: network(transformed[FEATURES])}

    return tf.function(serve, input_signature=[tf.TensorSpec(shape=[None], dtype=tf.string, name="examples")])


def run_fn(fn_args: Any) -> None:
    """The Trainer: fit the network on the train split, check it on the eval split, save it."""
    config = fn_args.custom_config
    transform = tft.TFTransformOutput(fn_args.transform_output)
    target = config["target"]
    keras.utils.set_random_seed(config["seed"])
    train = _dataset(fn_args.train_files, transform, target, config["batch_size"], config["seed"])
    evaluation = _dataset(fn_args.eval_files, transform, target, config["batch_size"], config["seed"])
    width = transform.transformed_feature_spec()[FEATURES].shape[0]
    network = build_network(width, config["hidden_units"], config["learning_rate"])
    # The dataset shuffles itself: Keras cannot shuffle a tf.data dataset.
    network.fit(train, epochs=config["epochs"], validation_data=evaluation, shuffle=False, verbose=0)
    # The saved module holds what the signature uses: the network and the Transform graph.
    module = tf.Module()
    module.network, module.transform_layer = network, transform.transform_features_layer()
    # The label is what the model predicts: a request does not carry it.
    raw_spec = {name: spec for name, spec in transform.raw_feature_spec().items() if name != target}
    serve = _serving_function(network, module.transform_layer, raw_spec)
    tf.saved_model.save(module, fn_args.serving_model_dir, signatures={"serving_default": serve})
