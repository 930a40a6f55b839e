"""The classic TF1 sequence classifier: an LSTM reads each MNIST image row by row (28 steps of 28
pixels) with ``tf.nn.dynamic_rnn``, and a dense layer on its last output names the digit. Written as
TF1 programs of the time wrote it (placeholders of flat images reshaped to [batch, 28, 28], a
``BasicLSTMCell`` with its ``zero_state``, ``time_major=False``, the outputs transposed and unstacked
to take the last step, Adam, argmax accuracy), with the MNIST download replaced by a generated
stand-in of the same shapes. ``tests/test_programs.py`` runs it with ``import tinyflow as tf``."""
import argparse
import sys

import numpy as np

import tinyflow as tf

FLAGS = None


# --- the stand-in for input_data.read_data_sets ------------------------------------------------
class _DataSet:
    def __init__(self, images, labels):
        self.images, self.labels, self.num_examples, self._index = images, labels, len(images), 0

    def next_batch(self, batch_size):
        take = np.arange(self._index, self._index + batch_size) % self.num_examples
        self._index = (self._index + batch_size) % self.num_examples
        return self.images[take], self.labels[take]


class _DataSets:
    def __init__(self, rng):
        centres = rng.uniform(0.0, 1.0, (10, 784)).astype(np.float32)

        def make(n):
            labels = rng.randint(0, 10, n)
            images = np.clip(centres[labels] + rng.normal(0.0, 0.5, (n, 784)), 0.0, 1.0)
            return _DataSet(images.astype(np.float32), np.eye(10, dtype=np.float32)[labels])
        self.train, self.test = make(1000), make(300)


def read_data_sets(train_dir, one_hot=True):
    return _DataSets(np.random.RandomState(0))


# --- the program ----------------------------------------------------------------------------------
n_inputs = 28        # the pixels of one row
n_steps = 28         # the rows, read one per time step
n_classes = 10


def main(_):
    mnist = read_data_sets(FLAGS.data_dir, one_hot=True)
    tf.set_random_seed(1)

    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.float32, [None, n_classes])
    batch_size = tf.shape(x)[0]

    weights = {
        'in': tf.Variable(tf.random_normal([n_inputs, FLAGS.n_hidden_units], stddev=0.1)),
        'out': tf.Variable(tf.random_normal([FLAGS.n_hidden_units, n_classes], stddev=0.1)),
    }
    biases = {
        'in': tf.Variable(tf.constant(0.1, shape=[FLAGS.n_hidden_units])),
        'out': tf.Variable(tf.constant(0.1, shape=[n_classes])),
    }

    def RNN(X, weights, biases):
        # hidden layer for the input to the cell: [batch * 28 steps, 28 pixels] -> [batch, 28, hidden]
        X = tf.reshape(X, [-1, n_inputs])
        X_in = tf.matmul(X, weights['in']) + biases['in']
        X_in = tf.reshape(X_in, [-1, n_steps, FLAGS.n_hidden_units])

        with tf.variable_scope('lstm'):
            cell = tf.nn.rnn_cell.BasicLSTMCell(FLAGS.n_hidden_units, forget_bias=1.0, state_is_tuple=True)
            init_state = cell.zero_state(batch_size, dtype=tf.float32)
            outputs, final_state = tf.nn.dynamic_rnn(cell, X_in, initial_state=init_state, time_major=False)
        print('outputs:', outputs.shape, 'final_state.c:', final_state.c.shape, 'final_state.h:',
              final_state.h.shape)

        # [batch, steps, hidden] -> a list of n_steps tensors [batch, hidden]; the last one is final_state.h
        outputs = tf.unstack(tf.transpose(outputs, [1, 0, 2]))
        return tf.matmul(outputs[-1], weights['out']) + biases['out'], final_state

    pred, final_state = RNN(tf.reshape(x, [-1, n_steps, n_inputs]), weights, biases)
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=pred, labels=y))
    train_op = tf.train.AdamOptimizer(FLAGS.learning_rate).minimize(cost)

    correct_pred = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(FLAGS.max_steps):
            batch_xs, batch_ys = mnist.train.next_batch(FLAGS.batch_size)
            _, loss, acc = sess.run([train_op, cost, accuracy], feed_dict={x: batch_xs, y: batch_ys})
            if step % FLAGS.display_step == 0:
                print('Step %d, loss = %.4f, training accuracy = %.3f' % (step, loss, acc))
        state, test_acc = sess.run([final_state, accuracy], feed_dict={x: mnist.test.images, y: mnist.test.labels})
        print('final state of the test set:', type(state).__name__, state.c.shape, state.h.shape)
        print('Test accuracy: %.3f' % test_acc)


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--data_dir', type=str, default='/tmp/tensorflow/mnist/input_data',
                        help='Directory for storing input data')
    parser.add_argument('--max_steps', type=int, default=2000, help='Number of steps to run trainer.')
    parser.add_argument('--display_step', type=int, default=100, help='Print the loss every so many steps.')
    parser.add_argument('--batch_size', type=int, default=128, help='Batch size.')
    parser.add_argument('--n_hidden_units', type=int, default=128, help='Units of the LSTM cell.')
    parser.add_argument('--learning_rate', type=float, default=0.001, help='Initial learning rate.')
    FLAGS, unparsed = parser.parse_known_args()
    tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
