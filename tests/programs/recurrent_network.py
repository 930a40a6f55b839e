# From aymericdamien/TensorFlow-Examples, examples/3_NeuralNetworks/recurrent_network.py (TF 1.x).
# Copyright (c) 2015, Aymeric Damien and the respective contributors. The MIT License (MIT):
#
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
# associated documentation files (the "Software"), to deal in the Software without restriction,
# including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
# and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
# subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all copies or substantial
# portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
# LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
# NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
# WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
# SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
#
# tests/test_programs.py runs it with `import tinyflow as tf`. The changes, each marked "tinyflow:":
#   - `from tensorflow.contrib import rnn` becomes tf.nn.rnn_cell (with tf.nn.static_rnn), where TF 1.x
#     has the same cells and function: tinyflow has no tf.contrib;
#   - the MNIST download is replaced by a generated stand-in of the same shapes;
#   - training_steps and display_step come from flags (defaults: the program's 10000 and 200).
""" Recurrent Neural Network.

A Recurrent Neural Network (LSTM) implementation example using TensorFlow library.
This example is using the MNIST database of handwritten digits (http://yann.lecun.com/exdb/mnist/)

Links:
    [Long Short Term Memory](http://deeplearning.cs.cmu.edu/pdfs/Hochreiter97_lstm.pdf)
    [MNIST Dataset](http://yann.lecun.com/exdb/mnist/).

Author: Aymeric Damien
Project: https://github.com/aymericdamien/TensorFlow-Examples/
"""

from __future__ import print_function

import numpy as np  # tinyflow: for the stand-in data

import tinyflow as tf  # tinyflow: was `import tensorflow as tf`
rnn = tf.nn.rnn_cell  # tinyflow: was `from tensorflow.contrib import rnn`
rnn.static_rnn = tf.nn.static_rnn  # tinyflow: (tf.contrib.rnn.static_rnn is tf.nn.static_rnn)


# --- tinyflow: the stand-in for tensorflow.examples.tutorials.mnist.input_data (the MNIST download):
# generated images of the same shapes (784 pixels in [0, 1], 10 classes), a noisy template per class.
class _DataSet:
    def __init__(self, images, labels):
        self.images, self.labels, self.num_examples, self._index = images, labels, len(images), 0

    def next_batch(self, batch_size):
        take = np.arange(self._index, self._index + batch_size) % self.num_examples
        self._index = (self._index + batch_size) % self.num_examples
        return self.images[take], self.labels[take]


class _DataSets:
    def __init__(self, rng, one_hot):
        centres = rng.uniform(0.0, 1.0, (10, 784)).astype(np.float32)

        def make(n):
            labels = rng.randint(0, 10, n)
            images = np.clip(centres[labels] + rng.normal(0.0, 0.5, (n, 784)), 0.0, 1.0).astype(np.float32)
            return _DataSet(images, np.eye(10, dtype=np.float32)[labels] if one_hot else labels)
        self.train, self.validation, self.test = make(1000), make(200), make(300)


class input_data:
    @staticmethod
    def read_data_sets(train_dir, one_hot=False):
        return _DataSets(np.random.RandomState(0), one_hot)
# --- end of the stand-in


# Import MNIST data
mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

'''
To classify images using a recurrent neural network, we consider every image
row as a sequence of pixels. Because MNIST image shape is 28*28px, we will then
handle 28 sequences of 28 steps for every sample.
'''

# tinyflow: the step counts are flags
tf.app.flags.DEFINE_integer('training_steps', 10000, 'Number of training steps.')
tf.app.flags.DEFINE_integer('display_step', 200, 'Print the loss every display_step steps.')

# Training Parameters
learning_rate = 0.001
training_steps = tf.app.flags.FLAGS.training_steps  # tinyflow: was 10000
batch_size = 128
display_step = tf.app.flags.FLAGS.display_step  # tinyflow: was 200

# Network Parameters
num_input = 28 # MNIST data input (img shape: 28*28)
timesteps = 28 # timesteps
num_hidden = 128 # hidden layer num of features
num_classes = 10 # MNIST total classes (0-9 digits)

# tf Graph input
X = tf.placeholder("float", [None, timesteps, num_input])
Y = tf.placeholder("float", [None, num_classes])

# Define weights
weights = {
    'out': tf.Variable(tf.random_normal([num_hidden, num_classes]))
}
biases = {
    'out': tf.Variable(tf.random_normal([num_classes]))
}


def RNN(x, weights, biases):

    # Prepare data shape to match `rnn` function requirements
    # Current data input shape: (batch_size, timesteps, n_input)
    # Required shape: 'timesteps' tensors list of shape (batch_size, n_input)

    # Unstack to get a list of 'timesteps' tensors of shape (batch_size, n_input)
    x = tf.unstack(x, timesteps, 1)

    # Define a lstm cell with tensorflow
    lstm_cell = rnn.BasicLSTMCell(num_hidden, forget_bias=1.0)

    # Get lstm cell output
    outputs, states = rnn.static_rnn(lstm_cell, x, dtype=tf.float32)

    # Linear activation, using rnn inner loop last output
    return tf.matmul(outputs[-1], weights['out']) + biases['out']

logits = RNN(X, weights, biases)
prediction = tf.nn.softmax(logits)

# Define loss and optimizer
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
    logits=logits, labels=Y))
optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate)
train_op = optimizer.minimize(loss_op)

# Evaluate model (with test logits, for dropout to be disabled)
correct_pred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))

# Initialize the variables (i.e. assign their default value)
init = tf.global_variables_initializer()

# Start training
with tf.Session() as sess:

    # Run the initializer
    sess.run(init)

    for step in range(1, training_steps+1):
        batch_x, batch_y = mnist.train.next_batch(batch_size)
        # Reshape data to get 28 seq of 28 elements
        batch_x = batch_x.reshape((batch_size, timesteps, num_input))
        # Run optimization op (backprop)
        sess.run(train_op, feed_dict={X: batch_x, Y: batch_y})
        if step % display_step == 0 or step == 1:
            # Calculate batch loss and accuracy
            loss, acc = sess.run([loss_op, accuracy], feed_dict={X: batch_x,
                                                                 Y: batch_y})
            print("Step " + str(step) + ", Minibatch Loss= " + \
                  "{:.4f}".format(loss) + ", Training Accuracy= " + \
                  "{:.3f}".format(acc))

    print("Optimization Finished!")

    # Calculate accuracy for 128 mnist test images
    test_len = 128
    test_data = mnist.test.images[:test_len].reshape((-1, timesteps, num_input))
    test_label = mnist.test.labels[:test_len]
    print("Testing Accuracy:", \
        sess.run(accuracy, feed_dict={X: test_data, Y: test_label}))
