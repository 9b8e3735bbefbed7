# Typical wrong answers for 02_backprop: each section replaces the solution cell `id`,
# and that exercise's tests (visible + hidden) must then fail.

# %% wrong id=numeric_gradient name=forward-differences
def numeric_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    fx = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - fx) / h
        x[i] = old
    return grad


# %% wrong id=numeric_gradient name=divides-by-h-not-2h
def numeric_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / h
    return grad


# %% wrong id=numeric_gradient name=does-not-restore-x
def numeric_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


# %% wrong id=numeric_gradient name=ignores-h-argument
def numeric_gradient(f, x, h=1e-5):
    h = 1e-3
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


# %% wrong id=numeric_gradient name=flattens-the-result
def numeric_gradient(f, x, h=1e-5):
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = f(x)
        flat[i] = old - h
        f_minus = f(x)
        flat[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


# %% wrong id=fxyz name=multiply-does-not-swap
def fxyz_forward_backward(x, y, z):
    q = x + y
    return q * z, q, q, z


# %% wrong id=fxyz name=forgets-upstream-gradient
def fxyz_forward_backward(x, y, z):
    q = x + y
    return q * z, 1.0, 1.0, q


# %% wrong id=fxyz name=hard-coded-lecture-numbers
def fxyz_forward_backward(x, y, z):
    return (x + y) * z, -4.0, -4.0, 3.0


# %% wrong id=fxyz name=dfdz-is-x
def fxyz_forward_backward(x, y, z):
    return (x + y) * z, z, z, x


# %% wrong id=multiply_gate name=no-swap
class MultiplyGate:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.x, dout * self.y


# %% wrong id=multiply_gate name=forgets-dout
class MultiplyGate:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return self.y, self.x


# %% wrong id=multiply_gate name=wrong-sign
class MultiplyGate:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return -dout * self.y, -dout * self.x


# %% wrong id=multiply_gate name=sums-over-the-array
class MultiplyGate:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return np.sum(dout * self.y), np.sum(dout * self.x)


# %% wrong id=sigmoid_gate name=uses-output-where-input-needed
class SigmoidGate:
    def forward(self, x):
        self.x = np.asarray(x, dtype=np.float64)
        self.out = F.sigmoid_forward(self.x)[0]
        return self.out

    def backward(self, dout):
        return dout * self.x * (1.0 - self.x)


# %% wrong id=sigmoid_gate name=forgets-dout
class SigmoidGate:
    def forward(self, x):
        self.out = F.sigmoid_forward(np.asarray(x, dtype=np.float64))[0]
        return self.out

    def backward(self, dout):
        return self.out * (1.0 - self.out)


# %% wrong id=sigmoid_gate name=passes-gradient-through
class SigmoidGate:
    def forward(self, x):
        self.out = F.sigmoid_forward(np.asarray(x, dtype=np.float64))[0]
        return self.out

    def backward(self, dout):
        return dout * self.out


# %% wrong id=sigmoid_gate name=sign-flipped
class SigmoidGate:
    def forward(self, x):
        self.out = F.sigmoid_forward(np.asarray(x, dtype=np.float64))[0]
        return self.out

    def backward(self, dout):
        return dout * self.out * (self.out - 1.0)


# %% wrong id=softmax_loss name=no-max-subtraction-overflows
def softmax_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    e = np.exp(X @ W)
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).mean() + reg * np.sum(W * W)
    p[np.arange(n), y] -= 1.0
    return float(loss), X.T @ p / n + 2 * reg * W


# %% wrong id=softmax_loss name=sum-not-mean
def softmax_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).sum() + reg * np.sum(W * W)
    p[np.arange(n), y] -= 1.0
    return float(loss), X.T @ p + 2 * reg * W


# %% wrong id=softmax_loss name=reg-gradient-missing-factor-2
def softmax_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).mean() + reg * np.sum(W * W)
    p[np.arange(n), y] -= 1.0
    return float(loss), X.T @ p / n + reg * W


# %% wrong id=softmax_loss name=softmax-over-wrong-axis
def softmax_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    s = X @ W
    s = s - s.max(axis=0, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=0, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).mean() + reg * np.sum(W * W)
    p[np.arange(n), y] -= 1.0
    return float(loss), X.T @ p / n + 2 * reg * W


# %% wrong id=softmax_loss name=forgets-one-hot-subtraction
def softmax_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).mean() + reg * np.sum(W * W)
    return float(loss), X.T @ p / n + 2 * reg * W


# %% wrong id=softmax_loss name=mutates-W-in-place
def softmax_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).mean() + reg * np.sum(W * W)
    p[np.arange(n), y] -= 1.0
    W *= 2 * reg
    W += X.T @ p / n
    return float(loss), W


# %% wrong id=svm_loss name=counts-the-true-class
def svm_loss_vectorized(W, X, y, reg):
    n, rows = X.shape[0], np.arange(X.shape[0])
    s = X @ W
    margins = np.maximum(0.0, s - s[rows, y][:, None] + 1.0)
    loss = margins.sum() / n + reg * np.sum(W * W)
    ds = (margins > 0).astype(float)
    ds[rows, y] = 0.0
    ds[rows, y] = -ds.sum(axis=1)
    return float(loss), X.T @ ds / n + 2 * reg * W


# %% wrong id=svm_loss name=no-true-class-gradient
def svm_loss_vectorized(W, X, y, reg):
    n, rows = X.shape[0], np.arange(X.shape[0])
    s = X @ W
    margins = np.maximum(0.0, s - s[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    loss = margins.sum() / n + reg * np.sum(W * W)
    ds = (margins > 0).astype(float)
    return float(loss), X.T @ ds / n + 2 * reg * W


# %% wrong id=svm_loss name=margin-with-wrong-sign
def svm_loss_vectorized(W, X, y, reg):
    n, rows = X.shape[0], np.arange(X.shape[0])
    s = X @ W
    margins = np.maximum(0.0, s[rows, y][:, None] - s + 1.0)
    margins[rows, y] = 0.0
    loss = margins.sum() / n + reg * np.sum(W * W)
    ds = -(margins > 0).astype(float)
    ds[rows, y] = -ds.sum(axis=1)
    return float(loss), X.T @ ds / n + 2 * reg * W


# %% wrong id=svm_loss name=not-averaged
def svm_loss_vectorized(W, X, y, reg):
    rows = np.arange(X.shape[0])
    s = X @ W
    margins = np.maximum(0.0, s - s[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    loss = margins.sum() + reg * np.sum(W * W)
    ds = (margins > 0).astype(float)
    ds[rows, y] = -ds.sum(axis=1)
    return float(loss), X.T @ ds + 2 * reg * W


# %% wrong id=svm_loss name=forgets-regularisation-gradient
def svm_loss_vectorized(W, X, y, reg):
    n, rows = X.shape[0], np.arange(X.shape[0])
    s = X @ W
    margins = np.maximum(0.0, s - s[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    loss = margins.sum() / n + reg * np.sum(W * W)
    ds = (margins > 0).astype(float)
    ds[rows, y] = -ds.sum(axis=1)
    return float(loss), X.T @ ds / n


# %% wrong id=linear_backward name=dx-not-reshaped
def linear_backward(dout, cache):
    return dout @ cache.w.T, cache.x_flat.T @ dout, dout.sum(axis=0)


# %% wrong id=linear_backward name=db-averaged-over-batch
def linear_backward(dout, cache):
    dx = (dout @ cache.w.T).reshape(cache.x_shape)
    return dx, cache.x_flat.T @ dout, dout.mean(axis=0)


# %% wrong id=linear_backward name=dw-transposed
def linear_backward(dout, cache):
    dx = (dout @ cache.w.T).reshape(cache.x_shape)
    return dx, dout.T @ cache.x_flat, dout.sum(axis=0)


# %% wrong id=linear_backward name=db-summed-over-wrong-axis
def linear_backward(dout, cache):
    dx = (dout @ cache.w.T).reshape(cache.x_shape)
    return dx, cache.x_flat.T @ dout, dout.sum(axis=1)


# %% wrong id=linear_backward name=dw-divided-by-batch
def linear_backward(dout, cache):
    dx = (dout @ cache.w.T).reshape(cache.x_shape)
    return dx, cache.x_flat.T @ dout / dout.shape[0], dout.sum(axis=0)


# %% wrong id=train_mlp name=forgets-optimizer-step
def train_two_layer_net(X_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    model = nn.Sequential(nn.Linear(64, 100, rng=rng), nn.ReLU(), nn.Linear(100, 10, rng=rng))
    loss_fn = nn.CrossEntropyLoss()
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    Q = [loss_fn.forward(model(X_train), y_train)]
    for _epoch in range(20):
        for xb, yb in data.iterate_minibatches(X_train, y_train, batch_size=32, rng=rng):
            opt.zero_grad()
            batch_loss = loss_fn.forward(model(xb), yb)
            model.backward(loss_fn.backward())
            Q.append(0.05 * batch_loss + 0.95 * Q[-1])
    return model, Q


# %% wrong id=train_mlp name=forgets-zero-grad
def train_two_layer_net(X_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    model = nn.Sequential(nn.Linear(64, 100, rng=rng), nn.ReLU(), nn.Linear(100, 10, rng=rng))
    loss_fn = nn.CrossEntropyLoss()
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    Q = [loss_fn.forward(model(X_train), y_train)]
    for _epoch in range(20):
        for xb, yb in data.iterate_minibatches(X_train, y_train, batch_size=32, rng=rng):
            batch_loss = loss_fn.forward(model(xb), yb)
            model.backward(loss_fn.backward())
            opt.step()
            Q.append(0.05 * batch_loss + 0.95 * Q[-1])
    return model, Q


# %% wrong id=train_mlp name=learning-rate-far-too-small
def train_two_layer_net(X_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    model = nn.Sequential(nn.Linear(64, 100, rng=rng), nn.ReLU(), nn.Linear(100, 10, rng=rng))
    loss_fn = nn.CrossEntropyLoss()
    opt = optim.SGD(model.parameters(), lr=1e-5)
    Q = [loss_fn.forward(model(X_train), y_train)]
    for _epoch in range(20):
        for xb, yb in data.iterate_minibatches(X_train, y_train, batch_size=32, rng=rng):
            opt.zero_grad()
            batch_loss = loss_fn.forward(model(xb), yb)
            model.backward(loss_fn.backward())
            opt.step()
            Q.append(0.05 * batch_loss + 0.95 * Q[-1])
    return model, Q


# %% wrong id=train_mlp name=no-hidden-nonlinearity
def train_two_layer_net(X_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    model = nn.Sequential(nn.Linear(64, 100, rng=rng), nn.Linear(100, 10, rng=rng))
    loss_fn = nn.CrossEntropyLoss()
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    Q = [loss_fn.forward(model(X_train), y_train)]
    for _epoch in range(20):
        for xb, yb in data.iterate_minibatches(X_train, y_train, batch_size=32, rng=rng):
            opt.zero_grad()
            batch_loss = loss_fn.forward(model(xb), yb)
            model.backward(loss_fn.backward())
            opt.step()
            Q.append(0.05 * batch_loss + 0.95 * Q[-1])
    return model, Q


# %% wrong id=train_mlp name=Q-is-the-last-batch-loss
def train_two_layer_net(X_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    model = nn.Sequential(nn.Linear(64, 100, rng=rng), nn.ReLU(), nn.Linear(100, 10, rng=rng))
    loss_fn = nn.CrossEntropyLoss()
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    Q = [loss_fn.forward(model(X_train), y_train)]
    for _epoch in range(20):
        for xb, yb in data.iterate_minibatches(X_train, y_train, batch_size=32, rng=rng):
            opt.zero_grad()
            batch_loss = loss_fn.forward(model(xb), yb)
            model.backward(loss_fn.backward())
            opt.step()
            Q.append(batch_loss)
    return model, Q


# %% wrong id=train_mlp name=one-epoch-only
def train_two_layer_net(X_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    model = nn.Sequential(nn.Linear(64, 100, rng=rng), nn.Sigmoid(), nn.Linear(100, 10, rng=rng))
    loss_fn = nn.CrossEntropyLoss()
    opt = optim.SGD(model.parameters(), lr=0.01)
    Q = [loss_fn.forward(model(X_train), y_train)]
    for xb, yb in data.iterate_minibatches(X_train, y_train, batch_size=32, rng=rng):
        opt.zero_grad()
        batch_loss = loss_fn.forward(model(xb), yb)
        model.backward(loss_fn.backward())
        opt.step()
        Q.append(0.05 * batch_loss + 0.95 * Q[-1])
    return model, Q
