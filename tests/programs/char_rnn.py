"""A character-level language model as TF1's char-rnn programs wrote it: a ``MultiRNNCell`` of
LSTMs (with dropout while training) over embedded characters, ``tf.nn.dynamic_rnn`` from an
``initial_state``, a per-character softmax loss (``tf.losses.sparse_softmax_cross_entropy`` over the
flattened steps, where TF 1.x programs also used ``tf.contrib.seq2seq.sequence_loss``), gradients
clipped by their global norm, a learning-rate variable decayed by ``tf.assign``, and the state
carried from one batch to the next: ``feed_dict={model.initial_state: state}``, the nested tuple of
``LSTMStateTuple``s fed as one key. A second model, sharing the variables, samples one character at
a time from placeholders for its state. The text is a small generated one instead of a download.
``tests/test_programs.py`` runs it with ``import tinyflow as tf``."""
import argparse
import os

import numpy as np

import tinyflow as tf

FLAGS = None


def make_text(rng, n_chars):
    """The stand-in for input.txt: sentences of a few words, as a small corpus."""
    subjects, verbs, objects = ["the cat", "a dog", "the bird"], ["sees", "likes", "chases"], ["the ball", "a fish"]
    sentences = []
    while sum(len(s) for s in sentences) < n_chars:
        sentences.append("%s %s %s. " % (rng.choice(subjects), rng.choice(verbs), rng.choice(objects)))
    return "".join(sentences)


class TextLoader:
    def __init__(self, text, batch_size, seq_length):
        self.chars = sorted(set(text))
        self.vocab = {c: i for i, c in enumerate(self.chars)}
        self.vocab_size = len(self.chars)
        tensor = np.array([self.vocab[c] for c in text], dtype=np.int32)
        self.num_batches = len(tensor) // (batch_size * seq_length)
        tensor = tensor[:self.num_batches * batch_size * seq_length]
        xdata, ydata = tensor, np.copy(tensor)
        ydata[:-1], ydata[-1] = xdata[1:], xdata[0]
        self.x_batches = np.split(xdata.reshape(batch_size, -1), self.num_batches, 1)
        self.y_batches = np.split(ydata.reshape(batch_size, -1), self.num_batches, 1)
        self.pointer = 0

    def next_batch(self):
        x, y = self.x_batches[self.pointer], self.y_batches[self.pointer]
        self.pointer = (self.pointer + 1) % self.num_batches
        return x, y


class Model:
    def __init__(self, args, vocab_size, training=True):
        batch_size, seq_length = (args.batch_size, args.seq_length) if training else (1, 1)
        cells = []
        for _ in range(args.num_layers):
            cell = tf.nn.rnn_cell.BasicLSTMCell(args.rnn_size)
            if training and args.output_keep_prob < 1.0:
                cell = tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=args.output_keep_prob)
            cells.append(cell)
        self.cell = cell = tf.nn.rnn_cell.MultiRNNCell(cells, state_is_tuple=True)

        self.input_data = tf.placeholder(tf.int32, [batch_size, seq_length])
        self.targets = tf.placeholder(tf.int32, [batch_size, seq_length])
        if training:
            self.initial_state = cell.zero_state(batch_size, tf.float32)
        else:                  # placeholders for the state, fed one by one
            self.initial_state = tuple(
                tf.nn.rnn_cell.LSTMStateTuple(tf.placeholder(tf.float32, [1, args.rnn_size], name='c%d' % i),
                                              tf.placeholder(tf.float32, [1, args.rnn_size], name='h%d' % i))
                for i in range(args.num_layers))

        with tf.variable_scope('rnnlm'):
            softmax_w = tf.get_variable('softmax_w', [args.rnn_size, vocab_size])
            softmax_b = tf.get_variable('softmax_b', [vocab_size])
            embedding = tf.get_variable('embedding', [vocab_size, args.rnn_size])
            inputs = tf.nn.embedding_lookup(embedding, self.input_data)

        outputs, last_state = tf.nn.dynamic_rnn(cell, inputs, initial_state=self.initial_state, scope='rnnlm')
        output = tf.reshape(outputs, [-1, args.rnn_size])
        self.logits = tf.matmul(output, softmax_w) + softmax_b
        self.probs = tf.nn.softmax(self.logits)
        self.final_state = last_state
        if not training:
            return

        self.cost = tf.losses.sparse_softmax_cross_entropy(labels=tf.reshape(self.targets, [-1]), logits=self.logits)
        self.lr = tf.Variable(0.0, trainable=False)
        tvars = tf.trainable_variables()
        grads, _ = tf.clip_by_global_norm(tf.gradients(self.cost, tvars), args.grad_clip)
        optimizer = tf.train.AdamOptimizer(self.lr)
        self.train_op = optimizer.apply_gradients(zip(grads, tvars))
        tf.summary.scalar('train_loss', self.cost)


def sample(sess, model, chars, vocab, num, prime):
    state = sess.run(model.cell.zero_state(1, tf.float32))
    for char in prime[:-1]:
        feed = {model.input_data: [[vocab[char]]]}
        for i, (c, h) in enumerate(model.initial_state):      # the other idiom: each tensor by hand
            feed[c] = state[i].c
            feed[h] = state[i].h
        state = sess.run(model.final_state, feed)
    ret, char = prime, prime[-1]
    for _ in range(num):
        feed = {model.input_data: [[vocab[char]]], model.initial_state: state}
        probs, state = sess.run([model.probs, model.final_state], feed)
        char = chars[int(np.argmax(probs[0]))]
        ret += char
    return ret


def train(args):
    data_loader = TextLoader(make_text(np.random.RandomState(0), 4000), args.batch_size, args.seq_length)
    tf.set_random_seed(1)
    with tf.variable_scope('model', initializer=tf.random_uniform_initializer(-0.1, 0.1)):
        model = Model(args, data_loader.vocab_size)
    with tf.variable_scope('model', reuse=True):
        sampler = Model(args, data_loader.vocab_size, training=False)
    print('state:', ', '.join('%s %s' % (type(s).__name__, s.c.shape) for s in model.initial_state))

    with tf.Session() as sess:
        summaries = tf.summary.merge_all()
        writer = tf.summary.FileWriter(args.log_dir, sess.graph)
        sess.run(tf.global_variables_initializer())
        saver = tf.train.Saver(tf.global_variables())
        for e in range(args.num_epochs):
            sess.run(tf.assign(model.lr, args.learning_rate * (args.decay_rate ** e)))
            data_loader.pointer = 0
            state = sess.run(model.initial_state)
            for b in range(data_loader.num_batches):
                x, y = data_loader.next_batch()
                feed = {model.input_data: x, model.targets: y, model.initial_state: state}
                summ, train_loss, state, _ = sess.run([summaries, model.cost, model.final_state, model.train_op],
                                                      feed)
                writer.add_summary(summ, e * data_loader.num_batches + b)
            print('epoch %d, train_loss = %.3f' % (e, train_loss))
        checkpoint_path = saver.save(sess, os.path.join(args.log_dir, 'model.ckpt'),
                                     global_step=args.num_epochs * data_loader.num_batches)
        print('model saved to', os.path.basename(checkpoint_path))
        writer.close()

    with tf.Session() as sess:                        # a new session, the variables from the checkpoint
        saver.restore(sess, tf.train.latest_checkpoint(args.log_dir))
        print('sample: %r' % sample(sess, sampler, data_loader.chars, data_loader.vocab, 40, 'the cat '))


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--log_dir', type=str, default='/tmp/char_rnn', help='Checkpoints and summaries.')
    parser.add_argument('--rnn_size', type=int, default=64, help='Size of the LSTMs\' states.')
    parser.add_argument('--num_layers', type=int, default=2, help='Number of layers.')
    parser.add_argument('--batch_size', type=int, default=10, help='Sequences in a batch.')
    parser.add_argument('--seq_length', type=int, default=25, help='Characters in a sequence.')
    parser.add_argument('--num_epochs', type=int, default=8, help='Number of epochs.')
    parser.add_argument('--grad_clip', type=float, default=5.0, help='Clip gradients at this global norm.')
    parser.add_argument('--learning_rate', type=float, default=0.01, help='Learning rate.')
    parser.add_argument('--decay_rate', type=float, default=0.97, help='Decay of the learning rate.')
    parser.add_argument('--output_keep_prob', type=float, default=0.9, help='Keep probability of the outputs.')
    FLAGS, unparsed = parser.parse_known_args()
    train(FLAGS)
