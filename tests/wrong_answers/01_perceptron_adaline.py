# Typical wrong answers for 01_perceptron_adaline: each section replaces the solution cell `id`,
# and that exercise's tests (visible + hidden) must then fail.

# %% wrong id=threshold_unit name=greater-or-equal
def threshold_unit(x, w, b):
    return (np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + b >= 0).astype(int)


# %% wrong id=threshold_unit name=missing-bias
def threshold_unit(x, w, b):
    return (np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) > 0).astype(int)


# %% wrong id=threshold_unit name=bias-subtracted
def threshold_unit(x, w, b):
    return (np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) - b > 0).astype(int)


# %% wrong id=threshold_unit name=sign-gives-minus-one
def threshold_unit(x, w, b):
    return np.sign(np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + b).astype(int)


# %% wrong id=threshold_unit name=returns-net-input
def threshold_unit(x, w, b):
    return np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + b


# %% wrong id=threshold_unit name=sum-over-wrong-axis
def threshold_unit(x, w, b):
    return (np.sum(np.asarray(x, dtype=float) * w, axis=0) + b > 0).astype(int)


# %% wrong id=gate_weights name=nand-weights-of-and
NAND_W, NAND_B = np.array([1.0, 1.0]), -1.5
INHIBIT_W, INHIBIT_B = np.array([1.0, 1.0, -2.0]), -0.5
MAJORITY_W, MAJORITY_B = np.array([1.0, 1.0, 1.0]), -1.5

# %% wrong id=gate_weights name=nand-boundary-through-corner
NAND_W, NAND_B = np.array([-1.0, -1.0]), 2.0
INHIBIT_W, INHIBIT_B = np.array([1.0, 1.0, -2.0]), -0.5
MAJORITY_W, MAJORITY_B = np.array([1.0, 1.0, 1.0]), -1.5

# %% wrong id=gate_weights name=nand-sign-flipped-bias-kept
NAND_W, NAND_B = np.array([-1.0, -1.0]), -1.5
INHIBIT_W, INHIBIT_B = np.array([1.0, 1.0, -2.0]), -0.5
MAJORITY_W, MAJORITY_B = np.array([1.0, 1.0, 1.0]), -1.5

# %% wrong id=gate_weights name=inhibition-not-absolute
NAND_W, NAND_B = np.array([-1.0, -1.0]), 1.5
INHIBIT_W, INHIBIT_B = np.array([1.0, 1.0, -1.0]), -0.5
MAJORITY_W, MAJORITY_B = np.array([1.0, 1.0, 1.0]), -1.5

# %% wrong id=gate_weights name=inhibition-boundary-through-corner
NAND_W, NAND_B = np.array([-1.0, -1.0]), 1.5
INHIBIT_W, INHIBIT_B = np.array([1.0, 1.0, -1.5]), -0.5
MAJORITY_W, MAJORITY_B = np.array([1.0, 1.0, 1.0]), -1.5

# %% wrong id=gate_weights name=inhibition-is-and-not
NAND_W, NAND_B = np.array([-1.0, -1.0]), 1.5
INHIBIT_W, INHIBIT_B = np.array([1.0, 1.0, -2.0]), -1.5
MAJORITY_W, MAJORITY_B = np.array([1.0, 1.0, 1.0]), -1.5

# %% wrong id=gate_weights name=majority-at-least-one
NAND_W, NAND_B = np.array([-1.0, -1.0]), 1.5
INHIBIT_W, INHIBIT_B = np.array([1.0, 1.0, -2.0]), -0.5
MAJORITY_W, MAJORITY_B = np.array([1.0, 1.0, 1.0]), -0.5

# %% wrong id=gate_weights name=majority-all-three
NAND_W, NAND_B = np.array([-1.0, -1.0]), 1.5
INHIBIT_W, INHIBIT_B = np.array([1.0, 1.0, -2.0]), -0.5
MAJORITY_W, MAJORITY_B = np.array([1.0, 1.0, 1.0]), -2.5

# %% wrong id=gate_weights name=majority-boundary-through-corners
NAND_W, NAND_B = np.array([-1.0, -1.0]), 1.5
INHIBIT_W, INHIBIT_B = np.array([1.0, 1.0, -2.0]), -0.5
MAJORITY_W, MAJORITY_B = np.array([1.0, 1.0, 1.0]), -1.0

# %% wrong id=gate_weights name=majority-on-two-inputs
NAND_W, NAND_B = np.array([-1.0, -1.0]), 1.5
INHIBIT_W, INHIBIT_B = np.array([1.0, 1.0, -2.0]), -0.5
MAJORITY_W, MAJORITY_B = np.array([1.0, 1.0]), -1.5


# %% wrong id=perceptron_update name=wrong-sign
def perceptron_update(w, b, x, d, lr):
    y = int(np.dot(w, x) + b > 0)
    return w + lr * (y - d) * x, b + lr * (y - d)


# %% wrong id=perceptron_update name=forgets-learning-rate
def perceptron_update(w, b, x, d, lr):
    y = int(np.dot(w, x) + b > 0)
    return w + (d - y) * x, b + (d - y)


# %% wrong id=perceptron_update name=bias-not-updated
def perceptron_update(w, b, x, d, lr):
    y = int(np.dot(w, x) + b > 0)
    return w + lr * (d - y) * x, b


# %% wrong id=perceptron_update name=mutates-w-in-place
def perceptron_update(w, b, x, d, lr):
    y = int(np.dot(w, x) + b > 0)
    w += lr * (d - y) * x
    return w, b + lr * (d - y)


# %% wrong id=perceptron_update name=greater-or-equal
def perceptron_update(w, b, x, d, lr):
    y = int(np.dot(w, x) + b >= 0)
    return w + lr * (d - y) * x, b + lr * (d - y)


# %% wrong id=perceptron_update name=uses-target-not-error
def perceptron_update(w, b, x, d, lr):
    return w + lr * d * x, b + lr * d


# %% wrong id=train_perceptron name=cumulative-error-count
def train_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b, errors, mistakes = np.zeros(X.shape[1]), 0.0, [], 0
    for _ in range(epochs):
        for x_j, d_j in zip(X, y, strict=True):
            mistakes += int(d_j != int(w @ x_j + b > 0))
            w, b = perceptron_update(w, b, x_j, d_j, lr)
        errors.append(mistakes)
    return w, b, errors


# %% wrong id=train_perceptron name=counts-errors-after-the-epoch
def train_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        for x_j, d_j in zip(X, y, strict=True):
            w, b = perceptron_update(w, b, x_j, d_j, lr)
        errors.append(int(np.sum((X @ w + b > 0).astype(int) != y)))
    return w, b, errors


# %% wrong id=train_perceptron name=reinitialises-weights-every-epoch
def train_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    errors = []
    for _ in range(epochs):
        w, b, mistakes = np.zeros(X.shape[1]), 0.0, 0
        for x_j, d_j in zip(X, y, strict=True):
            mistakes += int(d_j != int(w @ x_j + b > 0))
            w, b = perceptron_update(w, b, x_j, d_j, lr)
        errors.append(mistakes)
    return w, b, errors


# %% wrong id=train_perceptron name=one-epoch-short
def train_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs - 1):
        mistakes = 0
        for x_j, d_j in zip(X, y, strict=True):
            mistakes += int(d_j != int(w @ x_j + b > 0))
            w, b = perceptron_update(w, b, x_j, d_j, lr)
        errors.append(mistakes)
    return w, b, errors


# %% wrong id=train_perceptron name=stops-after-a-clean-epoch
def train_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        mistakes = 0
        for x_j, d_j in zip(X, y, strict=True):
            mistakes += int(d_j != int(w @ x_j + b > 0))
            w, b = perceptron_update(w, b, x_j, d_j, lr)
        errors.append(mistakes)
        if mistakes == 0:
            break
    return w, b, errors


# %% wrong id=train_perceptron name=shuffles-the-order
def train_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    rng = np.random.default_rng(0)
    w, b, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        mistakes = 0
        for j in rng.permutation(len(y)):
            mistakes += int(y[j] != int(w @ X[j] + b > 0))
            w, b = perceptron_update(w, b, X[j], y[j], lr)
        errors.append(mistakes)
    return w, b, errors


# %% wrong id=train_perceptron name=weights-without-bias
def train_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, errors = np.zeros(X.shape[1]), []
    for _ in range(epochs):
        mistakes = 0
        for x_j, d_j in zip(X, y, strict=True):
            step = lr * (d_j - int(w @ x_j > 0))
            mistakes += int(step != 0)
            w = w + step * x_j
        errors.append(mistakes)
    return w, 0.0, errors


# %% wrong id=train_perceptron name=counts-correct-instead-of-mistakes
def train_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        correct = 0
        for x_j, d_j in zip(X, y, strict=True):
            correct += int(d_j == int(w @ x_j + b > 0))
            w, b = perceptron_update(w, b, x_j, d_j, lr)
        errors.append(correct)
    return w, b, errors


# %% wrong id=adaline_epoch name=mean-instead-of-sum
def adaline_epoch(X, d, w, b, mu):
    residual = d - (X @ w + b)
    cost = 0.5 * float(residual @ residual)
    return w + mu * (X.T @ residual) / len(d), b + mu * float(residual.mean()), cost


# %% wrong id=adaline_epoch name=wrong-sign
def adaline_epoch(X, d, w, b, mu):
    residual = (X @ w + b) - d
    cost = 0.5 * float(residual @ residual)
    return w + mu * (X.T @ residual), b + mu * float(residual.sum()), cost


# %% wrong id=adaline_epoch name=cost-without-half
def adaline_epoch(X, d, w, b, mu):
    residual = d - (X @ w + b)
    cost = float(residual @ residual)
    return w + mu * (X.T @ residual), b + mu * float(residual.sum()), cost


# %% wrong id=adaline_epoch name=thresholded-output-like-perceptron
def adaline_epoch(X, d, w, b, mu):
    residual = d - (X @ w + b > 0).astype(float)
    cost = 0.5 * float(residual @ residual)
    return w + mu * (X.T @ residual), b + mu * float(residual.sum()), cost


# %% wrong id=adaline_epoch name=bias-not-updated
def adaline_epoch(X, d, w, b, mu):
    residual = d - (X @ w + b)
    cost = 0.5 * float(residual @ residual)
    return w + mu * (X.T @ residual), b, cost


# %% wrong id=adaline_epoch name=bias-missing-from-output
def adaline_epoch(X, d, w, b, mu):
    residual = d - X @ w
    cost = 0.5 * float(residual @ residual)
    return w + mu * (X.T @ residual), b + mu * float(residual.sum()), cost


# %% wrong id=adaline_epoch name=cost-after-the-update
def adaline_epoch(X, d, w, b, mu):
    residual = d - (X @ w + b)
    w_new, b_new = w + mu * (X.T @ residual), b + mu * float(residual.sum())
    after = d - (X @ w_new + b_new)
    return w_new, b_new, 0.5 * float(after @ after)


# %% wrong id=adaline_epoch name=forgets-learning-rate
def adaline_epoch(X, d, w, b, mu):
    residual = d - (X @ w + b)
    cost = 0.5 * float(residual @ residual)
    return w + X.T @ residual, b + float(residual.sum()), cost


# %% wrong id=adaline_epoch name=gradient-doubled-by-the-half
def adaline_epoch(X, d, w, b, mu):
    residual = d - (X @ w + b)
    cost = 0.5 * float(residual @ residual)
    return w + 2 * mu * (X.T @ residual), b + 2 * mu * float(residual.sum()), cost


# %% wrong id=adaline_epoch name=gradient-ascent
def adaline_epoch(X, d, w, b, mu):
    residual = d - (X @ w + b)
    cost = 0.5 * float(residual @ residual)
    return w - mu * (X.T @ residual), b - mu * float(residual.sum()), cost


# %% wrong id=adaline_epoch name=bias-gradient-counts-one-example
def adaline_epoch(X, d, w, b, mu):
    residual = d - (X @ w + b)
    cost = 0.5 * float(residual @ residual)
    return w + mu * (X.T @ residual), b + mu * float(residual.mean()), cost


# %% wrong id=adaline_epoch name=mutates-w-in-place
def adaline_epoch(X, d, w, b, mu):
    residual = d - (X @ w + b)
    cost = 0.5 * float(residual @ residual)
    w += mu * (X.T @ residual)
    return w, b + mu * float(residual.sum()), cost


# %% wrong id=xor_two_layer name=not-a-network
XOR_W1 = np.array([[-1.0, 1.0], [-1.0, 1.0]])
XOR_B1 = np.array([1.5, -0.5])
XOR_W2 = np.array([1.0, 1.0])
XOR_B2 = -1.5


def xor_two_layer(X):
    X = np.asarray(X)
    return (X[:, 0] != X[:, 1]).astype(int)


# %% wrong id=xor_two_layer name=hidden-columns-swapped
XOR_W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
XOR_B1 = np.array([-0.5, 1.5])
XOR_W2 = np.array([1.0, 1.0])
XOR_B2 = -1.5


def xor_two_layer(X):
    h = (np.asarray(X, dtype=float) @ XOR_W1 + XOR_B1 > 0).astype(float)
    return (h @ XOR_W2 + XOR_B2 > 0).astype(int)


# %% wrong id=xor_two_layer name=lecture-or-and-construction
XOR_W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
XOR_B1 = np.array([-0.5, -1.5])
XOR_W2 = np.array([1.0, -1.0])
XOR_B2 = -0.5


def xor_two_layer(X):
    h = (np.asarray(X, dtype=float) @ XOR_W1 + XOR_B1 > 0).astype(float)
    return (h @ XOR_W2 + XOR_B2 > 0).astype(int)


# %% wrong id=xor_two_layer name=output-or-instead-of-and
XOR_W1 = np.array([[-1.0, 1.0], [-1.0, 1.0]])
XOR_B1 = np.array([1.5, -0.5])
XOR_W2 = np.array([1.0, 1.0])
XOR_B2 = -0.5


def xor_two_layer(X):
    h = (np.asarray(X, dtype=float) @ XOR_W1 + XOR_B1 > 0).astype(float)
    return (h @ XOR_W2 + XOR_B2 > 0).astype(int)


# %% wrong id=xor_two_layer name=nand-boundary-through-corner
XOR_W1 = np.array([[-1.0, 1.0], [-1.0, 1.0]])
XOR_B1 = np.array([2.0, -0.5])
XOR_W2 = np.array([1.0, 1.0])
XOR_B2 = -1.5


def xor_two_layer(X):
    h = (np.asarray(X, dtype=float) @ XOR_W1 + XOR_B1 > 0).astype(float)
    return (h @ XOR_W2 + XOR_B2 > 0).astype(int)


# %% wrong id=xor_two_layer name=nand-weights-of-and
XOR_W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
XOR_B1 = np.array([-1.5, -0.5])
XOR_W2 = np.array([-1.0, 1.0])
XOR_B2 = -0.5


def xor_two_layer(X):
    h = (np.asarray(X, dtype=float) @ XOR_W1 + XOR_B1 > 0).astype(float)
    return (h @ XOR_W2 + XOR_B2 > 0).astype(int)


# %% wrong id=xor_two_layer name=hidden-layer-not-thresholded
XOR_W1 = np.array([[-1.0, 1.0], [-1.0, 1.0]])
XOR_B1 = np.array([1.5, -0.5])
XOR_W2 = np.array([1.0, 1.0])
XOR_B2 = -1.5


def xor_two_layer(X):
    h = np.asarray(X, dtype=float) @ XOR_W1 + XOR_B1
    return (h @ XOR_W2 + XOR_B2 > 0).astype(int)


# %% wrong id=xor_two_layer name=forward-ignores-the-weights
XOR_W1 = np.zeros((2, 2))
XOR_B1 = np.zeros(2)
XOR_W2 = np.zeros(2)
XOR_B2 = 0.0


def xor_two_layer(X):
    X = np.asarray(X, dtype=float)
    h = np.column_stack([1.5 - X.sum(axis=1) > 0, X.sum(axis=1) - 0.5 > 0]).astype(float)
    return (h @ np.array([1.0, 1.0]) - 1.5 > 0).astype(int)


# %% wrong id=parity_feature name=no-triple-product
def parity_features(X):
    X = np.asarray(X, dtype=float)
    return np.column_stack([X, X[:, 0] * X[:, 1], X[:, 0] * X[:, 2], X[:, 1] * X[:, 2]])


PARITY_W = np.array([1.0, 1.0, 1.0, -2.0, -2.0, -2.0])
PARITY_B = -0.5


# %% wrong id=parity_feature name=pair-weights-minus-one
def parity_features(X):
    X = np.asarray(X, dtype=float)
    x1, x2, x3 = X.T
    return np.column_stack([x1, x2, x3, x1 * x2, x1 * x3, x2 * x3, x1 * x2 * x3])


PARITY_W = np.array([1.0, 1.0, 1.0, -1.0, -1.0, -1.0, 1.0])  # inclusion-exclusion counted once
PARITY_B = -0.5


# %% wrong id=parity_feature name=triple-weight-two
def parity_features(X):
    X = np.asarray(X, dtype=float)
    x1, x2, x3 = X.T
    return np.column_stack([x1, x2, x3, x1 * x2, x1 * x3, x2 * x3, x1 * x2 * x3])


PARITY_W = np.array([1.0, 1.0, 1.0, -2.0, -2.0, -2.0, 2.0])  # the XOR pattern continued
PARITY_B = -0.5


# %% wrong id=parity_feature name=no-bias-zero-margin
def parity_features(X):
    X = np.asarray(X, dtype=float)
    x1, x2, x3 = X.T
    return np.column_stack([x1, x2, x3, x1 * x2, x1 * x3, x2 * x3, x1 * x2 * x3])


PARITY_W = np.array([1.0, 1.0, 1.0, -2.0, -2.0, -2.0, 4.0])  # right on the corners, no margin off them
PARITY_B = 0.0


# %% wrong id=parity_feature name=columns-out-of-order
def parity_features(X):
    X = np.asarray(X, dtype=float)
    x1, x2, x3 = X.T
    return np.column_stack([x1, x2, x3, x1 * x2 * x3, x1 * x2, x1 * x3, x2 * x3])


PARITY_W = np.array([1.0, 1.0, 1.0, 4.0, -2.0, -2.0, -2.0])
PARITY_B = -0.5


# %% wrong id=parity_feature name=products-over-wrong-axis
def parity_features(X):
    X = np.asarray(X, dtype=float)
    return np.column_stack([X, np.tile(X.prod(axis=0), (len(X), 4))[:, :4]])


PARITY_W = np.array([1.0, 1.0, 1.0, -2.0, -2.0, -2.0, 4.0])
PARITY_B = -0.5


# %% wrong id=pocket_perceptron name=returns-the-last-weights
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        for x_j, d_j in zip(X, y, strict=True):
            w, b = perceptron_update(w, b, x_j, d_j, lr)
    return w, b, int(np.sum((X @ w + b > 0).astype(int) != y))


# %% wrong id=pocket_perceptron name=tie-replaces-the-pocket
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    pocket = (w.copy(), b, int(np.sum((X @ w + b > 0).astype(int) != y)))
    for _ in range(epochs):
        for x_j, d_j in zip(X, y, strict=True):
            if d_j == int(w @ x_j + b > 0):
                continue
            w, b = perceptron_update(w, b, x_j, d_j, lr)
            count = int(np.sum((X @ w + b > 0).astype(int) != y))
            if count <= pocket[2]:
                pocket = (w.copy(), float(b), count)
    return pocket


# %% wrong id=pocket_perceptron name=pocket-starts-empty
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    pocket = (w.copy(), b, len(y) + 1)
    for _ in range(epochs):
        for x_j, d_j in zip(X, y, strict=True):
            if d_j == int(w @ x_j + b > 0):
                continue
            w, b = perceptron_update(w, b, x_j, d_j, lr)
            count = int(np.sum((X @ w + b > 0).astype(int) != y))
            if count < pocket[2]:
                pocket = (w.copy(), float(b), count)
    return pocket


# %% wrong id=pocket_perceptron name=checks-once-per-epoch
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    pocket = (w.copy(), b, int(np.sum((X @ w + b > 0).astype(int) != y)))
    for _ in range(epochs):
        for x_j, d_j in zip(X, y, strict=True):
            w, b = perceptron_update(w, b, x_j, d_j, lr)
        count = int(np.sum((X @ w + b > 0).astype(int) != y))
        if count < pocket[2]:
            pocket = (w.copy(), float(b), count)
    return pocket


# %% wrong id=pocket_perceptron name=scores-by-online-epoch-mistakes
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    pocket = (w.copy(), b, len(y) + 1)
    for _ in range(epochs):
        mistakes = 0
        for x_j, d_j in zip(X, y, strict=True):
            mistakes += int(d_j != int(w @ x_j + b > 0))
            w, b = perceptron_update(w, b, x_j, d_j, lr)
        if mistakes < pocket[2]:
            pocket = (w.copy(), float(b), mistakes)
    return pocket


# %% wrong id=pocket_perceptron name=pocket-aliases-the-running-weights
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    pocket_w, pocket_b, best = w, b, int(np.sum((X @ w + b > 0).astype(int) != y))
    for _ in range(epochs):
        for x_j, d_j in zip(X, y, strict=True):
            step = lr * (d_j - int(w @ x_j + b > 0))
            if step == 0:
                continue
            w += step * x_j
            b += step
            count = int(np.sum((X @ w + b > 0).astype(int) != y))
            if count < best:
                pocket_w, pocket_b, best = w, b, count
    return pocket_w, pocket_b, best


# %% wrong id=pocket_perceptron name=greater-or-equal-when-counting
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    pocket = (w.copy(), b, int(np.sum((X @ w + b >= 0).astype(int) != y)))
    for _ in range(epochs):
        for x_j, d_j in zip(X, y, strict=True):
            if d_j == int(w @ x_j + b > 0):
                continue
            w, b = perceptron_update(w, b, x_j, d_j, lr)
            count = int(np.sum((X @ w + b >= 0).astype(int) != y))
            if count < pocket[2]:
                pocket = (w.copy(), float(b), count)
    return pocket


# %% wrong id=pocket_perceptron name=one-epoch-short
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    pocket = (w.copy(), b, int(np.sum((X @ w + b > 0).astype(int) != y)))
    for _ in range(epochs - 1):
        for x_j, d_j in zip(X, y, strict=True):
            if d_j == int(w @ x_j + b > 0):
                continue
            w, b = perceptron_update(w, b, x_j, d_j, lr)
            count = int(np.sum((X @ w + b > 0).astype(int) != y))
            if count < pocket[2]:
                pocket = (w.copy(), float(b), count)
    return pocket


# %% wrong id=pocket_perceptron name=returns-accuracy-not-mistakes
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    X = np.asarray(X, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    pocket = (w.copy(), b, int(np.sum((X @ w + b > 0).astype(int) != y)))
    for _ in range(epochs):
        for x_j, d_j in zip(X, y, strict=True):
            if d_j == int(w @ x_j + b > 0):
                continue
            w, b = perceptron_update(w, b, x_j, d_j, lr)
            count = int(np.sum((X @ w + b > 0).astype(int) != y))
            if count < pocket[2]:
                pocket = (w.copy(), float(b), count)
    return pocket[0], pocket[1], len(y) - pocket[2]


# %% wrong id=pocket_perceptron name=centres-x-in-place
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    X -= X.mean(axis=0)  # centres the caller's array in place
    w, b = np.zeros(X.shape[1]), 0.0
    pocket = (w.copy(), b, int(np.sum((X @ w + b > 0).astype(int) != y)))
    for _ in range(epochs):
        for x_j, d_j in zip(X, y, strict=True):
            if d_j == int(w @ x_j + b > 0):
                continue
            w, b = perceptron_update(w, b, x_j, d_j, lr)
            count = int(np.sum((X @ w + b > 0).astype(int) != y))
            if count < pocket[2]:
                pocket = (w.copy(), float(b), count)
    return pocket


# %% wrong id=slow_perceptron_data name=two-neighbouring-points
SLOW_X = np.array([[10, 10], [9, 9]])  # the thinnest gap two grid points allow: converges within a few hundred
SLOW_Y = np.array([0, 1])
SLOW_W, SLOW_B = np.array([-1.0, -1.0]), 19.0


# %% wrong id=slow_perceptron_data name=thin-margin-line-near-the-origin
SLOW_X = np.array([[-10, -10], [10, 9], [9, 8]])  # (9, 8) is 1/20 below the line, which passes near the origin
SLOW_Y = np.array([0, 0, 1])
SLOW_W, SLOW_B = np.array([38.0, -40.0]), -21.0


# %% wrong id=slow_perceptron_data name=xor-is-never-separated
SLOW_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])  # the perceptron never converges, so it is "slow"
SLOW_Y = np.array([0, 1, 1, 0])
SLOW_W, SLOW_B = np.array([1.0, 1.0]), -0.5


# %% wrong id=slow_perceptron_data name=coordinates-out-of-range
SLOW_X = np.array([[-30, 30], [30, 27], [27, 27]])  # the model answer scaled by 3
SLOW_Y = np.array([0, 0, 1])
SLOW_W, SLOW_B = np.array([-2.0, -40.0]), 1137.0


# %% wrong id=slow_perceptron_data name=fractional-coordinates
SLOW_X = np.array([[-10.0, 10.0], [10.0, 9.0], [9.0, 9.04]])  # a thinner gap than the grid allows
SLOW_Y = np.array([0, 0, 1])
SLOW_W, SLOW_B = np.array([-1.0, -20.0]), 190.0


# %% wrong id=slow_perceptron_data name=five-points
SLOW_X = np.array([[-10, 10], [10, 9], [9, 9], [-10, -10], [-9, -10]])
SLOW_Y = np.array([0, 0, 1, 1, 1])
SLOW_W, SLOW_B = np.array([-2.0, -40.0]), 379.0


# %% wrong id=slow_perceptron_data name=labels-minus-one-and-one
SLOW_X = np.array([[-10, 10], [10, 9], [9, 9]])
SLOW_Y = np.array([-1, -1, 1])
SLOW_W, SLOW_B = np.array([-2.0, -40.0]), 379.0


# %% wrong id=slow_perceptron_data name=separator-sign-flipped
SLOW_X = np.array([[-10, 10], [10, 9], [9, 9]])
SLOW_Y = np.array([0, 0, 1])
SLOW_W, SLOW_B = np.array([2.0, 40.0]), -379.0
