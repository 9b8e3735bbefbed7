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


# %% wrong id=local_grads name=tanh-from-the-input
def local_grads(node):
    a = [parent.data for parent, _ in node.parents]
    out = node.data
    if node.op.startswith("**"):
        n = float(node.op[2:])
        return (n * a[0] ** (n - 1.0),)
    rules = {
        "": lambda: (),
        "+": lambda: (1.0, 1.0),
        "-": lambda: (1.0, -1.0),
        "*": lambda: (a[1], a[0]),
        "/": lambda: (1.0 / a[1], -out / a[1]),
        "neg": lambda: (-1.0,),
        "exp": lambda: (out,),
        "log": lambda: (1.0 / a[0],),
        "tanh": lambda: (1.0 - a[0] * a[0],),
        "relu": lambda: (1.0 if a[0] > 0 else 0.0,),
        "sigmoid": lambda: (out * (1.0 - out),),
    }
    if node.op not in rules:
        raise ValueError(node.op)
    return rules[node.op]()


# %% wrong id=local_grads name=power-rule-keeps-n
def local_grads(node):
    a = [parent.data for parent, _ in node.parents]
    out = node.data
    if node.op.startswith("**"):
        n = float(node.op[2:])
        return (n * a[0] ** n,)
    rules = {
        "": lambda: (),
        "+": lambda: (1.0, 1.0),
        "-": lambda: (1.0, -1.0),
        "*": lambda: (a[1], a[0]),
        "/": lambda: (1.0 / a[1], -out / a[1]),
        "neg": lambda: (-1.0,),
        "exp": lambda: (out,),
        "log": lambda: (1.0 / a[0],),
        "tanh": lambda: (1.0 - out * out,),
        "relu": lambda: (1.0 if a[0] > 0 else 0.0,),
        "sigmoid": lambda: (out * (1.0 - out),),
    }
    if node.op not in rules:
        raise ValueError(node.op)
    return rules[node.op]()


# %% wrong id=local_grads name=division-denominator-sign
def local_grads(node):
    a = [parent.data for parent, _ in node.parents]
    out = node.data
    if node.op.startswith("**"):
        n = float(node.op[2:])
        return (n * a[0] ** (n - 1.0),)
    rules = {
        "": lambda: (),
        "+": lambda: (1.0, 1.0),
        "-": lambda: (1.0, -1.0),
        "*": lambda: (a[1], a[0]),
        "/": lambda: (1.0 / a[1], out / a[1]),
        "neg": lambda: (-1.0,),
        "exp": lambda: (out,),
        "log": lambda: (1.0 / a[0],),
        "tanh": lambda: (1.0 - out * out,),
        "relu": lambda: (1.0 if a[0] > 0 else 0.0,),
        "sigmoid": lambda: (out * (1.0 - out),),
    }
    if node.op not in rules:
        raise ValueError(node.op)
    return rules[node.op]()


# %% wrong id=local_grads name=subtraction-like-addition
def local_grads(node):
    a = [parent.data for parent, _ in node.parents]
    out = node.data
    if node.op.startswith("**"):
        n = float(node.op[2:])
        return (n * a[0] ** (n - 1.0),)
    rules = {
        "": lambda: (),
        "+": lambda: (1.0, 1.0),
        "-": lambda: (1.0, 1.0),
        "*": lambda: (a[1], a[0]),
        "/": lambda: (1.0 / a[1], -out / a[1]),
        "neg": lambda: (-1.0,),
        "exp": lambda: (out,),
        "log": lambda: (1.0 / a[0],),
        "tanh": lambda: (1.0 - out * out,),
        "relu": lambda: (1.0 if a[0] > 0 else 0.0,),
        "sigmoid": lambda: (out * (1.0 - out),),
    }
    if node.op not in rules:
        raise ValueError(node.op)
    return rules[node.op]()


# %% wrong id=local_grads name=sigmoid-from-the-input
def local_grads(node):
    a = [parent.data for parent, _ in node.parents]
    out = node.data
    if node.op.startswith("**"):
        n = float(node.op[2:])
        return (n * a[0] ** (n - 1.0),)
    rules = {
        "": lambda: (),
        "+": lambda: (1.0, 1.0),
        "-": lambda: (1.0, -1.0),
        "*": lambda: (a[1], a[0]),
        "/": lambda: (1.0 / a[1], -out / a[1]),
        "neg": lambda: (-1.0,),
        "exp": lambda: (out,),
        "log": lambda: (1.0 / a[0],),
        "tanh": lambda: (1.0 - out * out,),
        "relu": lambda: (1.0 if a[0] > 0 else 0.0,),
        "sigmoid": lambda: (a[0] * (1.0 - a[0]),),
    }
    if node.op not in rules:
        raise ValueError(node.op)
    return rules[node.op]()


# %% wrong id=local_grads name=reads-the-recorded-edges
def local_grads(node):
    if node.op not in (
        "",
        "+",
        "-",
        "*",
        "/",
        "neg",
        "exp",
        "log",
        "tanh",
        "relu",
        "sigmoid",
    ) and not node.op.startswith("**"):
        raise ValueError(node.op)
    return tuple(local for _, local in node.parents)


# %% wrong id=local_grads name=unknown-op-passes-the-gradient
def local_grads(node):
    a = [parent.data for parent, _ in node.parents]
    out = node.data
    if node.op.startswith("**"):
        n = float(node.op[2:])
        return (n * a[0] ** (n - 1.0),)
    rules = {
        "": lambda: (),
        "+": lambda: (1.0, 1.0),
        "-": lambda: (1.0, -1.0),
        "*": lambda: (a[1], a[0]),
        "/": lambda: (1.0 / a[1], -out / a[1]),
        "neg": lambda: (-1.0,),
        "exp": lambda: (out,),
        "log": lambda: (1.0 / a[0],),
        "tanh": lambda: (1.0 - out * out,),
        "relu": lambda: (1.0 if a[0] > 0 else 0.0,),
        "sigmoid": lambda: (out * (1.0 - out),),
    }
    return rules.get(node.op, lambda: (1.0,) * len(a))()


# %% wrong id=backward name=assigns-instead-of-accumulating
def backward(root):
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent, _ in node.parents)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for (parent, _), local in zip(node.parents, local_grads(node), strict=True):
            parent.grad = local * node.grad


# %% wrong id=backward name=dfs-order-not-reversed
def backward(root):
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent, _ in node.parents)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in order:
        for (parent, _), local in zip(node.parents, local_grads(node), strict=True):
            parent.grad += local * node.grad


# %% wrong id=backward name=forgets-the-upstream-factor
def backward(root):
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent, _ in node.parents)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for (parent, _), local in zip(node.parents, local_grads(node), strict=True):
            parent.grad += local


# %% wrong id=backward name=breadth-first-from-the-root
def backward(root):
    order, seen, queue = [root], {id(root)}, [root]
    while queue:
        node = queue.pop(0)
        for parent, _ in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                order.append(parent)
                queue.append(parent)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in order:
        for (parent, _), local in zip(node.parents, local_grads(node), strict=True):
            parent.grad += local * node.grad


# %% wrong id=backward name=does-not-reset-the-grads
def backward(root):
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent, _ in node.parents)
    root.grad = 1.0
    for node in reversed(order):
        for (parent, _), local in zip(node.parents, local_grads(node), strict=True):
            parent.grad += local * node.grad


# %% wrong id=backward name=recursive-topological-sort
def backward(root):
    order, visited = [], set()

    def visit(node):
        if id(node) not in visited:
            visited.add(id(node))
            for parent, _ in node.parents:
                visit(parent)
            order.append(node)

    visit(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for (parent, _), local in zip(node.parents, local_grads(node), strict=True):
            parent.grad += local * node.grad


# %% wrong id=backward name=uses-the-recorded-edges
def backward(root):
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent, _ in node.parents)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in node.parents:
            parent.grad += local * node.grad


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


# %% wrong id=two_layer_loss name=relu-not-in-backward
def two_layer_loss(params, X, y, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    rows = np.arange(X.shape[0])
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0.0)
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[rows, y].mean() + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dscores = np.exp(log_p)
    dscores[rows, y] -= 1.0
    dscores /= X.shape[0]
    dz1 = dscores @ W2.T
    grads = {"W1": X.T @ dz1 + 2 * reg * W1, "b1": dz1.sum(axis=0), "W2": h.T @ dscores + 2 * reg * W2}
    grads["b2"] = dscores.sum(axis=0)
    return float(loss), grads


# %% wrong id=two_layer_loss name=dW2-from-pre-activation
def two_layer_loss(params, X, y, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    rows = np.arange(X.shape[0])
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0.0)
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[rows, y].mean() + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dscores = np.exp(log_p)
    dscores[rows, y] -= 1.0
    dscores /= X.shape[0]
    dz1 = (dscores @ W2.T) * (z1 > 0)
    grads = {"W1": X.T @ dz1 + 2 * reg * W1, "b1": dz1.sum(axis=0), "W2": z1.T @ dscores + 2 * reg * W2}
    grads["b2"] = dscores.sum(axis=0)
    return float(loss), grads


# %% wrong id=two_layer_loss name=gradient-not-divided-by-N
def two_layer_loss(params, X, y, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    rows = np.arange(X.shape[0])
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0.0)
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[rows, y].mean() + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dscores = np.exp(log_p)
    dscores[rows, y] -= 1.0
    dz1 = (dscores @ W2.T) * (z1 > 0)
    grads = {"W1": X.T @ dz1 + 2 * reg * W1, "b1": dz1.sum(axis=0), "W2": h.T @ dscores + 2 * reg * W2}
    grads["b2"] = dscores.sum(axis=0)
    return float(loss), grads


# %% wrong id=two_layer_loss name=bias-gradient-averaged
def two_layer_loss(params, X, y, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    rows = np.arange(X.shape[0])
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0.0)
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[rows, y].mean() + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dscores = np.exp(log_p)
    dscores[rows, y] -= 1.0
    dscores /= X.shape[0]
    dz1 = (dscores @ W2.T) * (z1 > 0)
    grads = {"W1": X.T @ dz1 + 2 * reg * W1, "b1": dz1.mean(axis=0), "W2": h.T @ dscores + 2 * reg * W2}
    grads["b2"] = dscores.mean(axis=0)
    return float(loss), grads


# %% wrong id=two_layer_loss name=regularises-the-biases
def two_layer_loss(params, X, y, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    rows = np.arange(X.shape[0])
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0.0)
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[rows, y].mean() + reg * sum(np.sum(p * p) for p in (W1, b1, W2, b2))
    dscores = np.exp(log_p)
    dscores[rows, y] -= 1.0
    dscores /= X.shape[0]
    dz1 = (dscores @ W2.T) * (z1 > 0)
    grads = {"W1": X.T @ dz1 + 2 * reg * W1, "b1": dz1.sum(axis=0) + 2 * reg * b1}
    grads.update({"W2": h.T @ dscores + 2 * reg * W2, "b2": dscores.sum(axis=0) + 2 * reg * b2})
    return float(loss), grads


# %% wrong id=two_layer_loss name=reg-gradient-missing-factor-2
def two_layer_loss(params, X, y, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    rows = np.arange(X.shape[0])
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0.0)
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[rows, y].mean() + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dscores = np.exp(log_p)
    dscores[rows, y] -= 1.0
    dscores /= X.shape[0]
    dz1 = (dscores @ W2.T) * (z1 > 0)
    grads = {"W1": X.T @ dz1 + reg * W1, "b1": dz1.sum(axis=0), "W2": h.T @ dscores + reg * W2}
    grads["b2"] = dscores.sum(axis=0)
    return float(loss), grads


# %% wrong id=two_layer_loss name=no-max-subtraction-overflows
def two_layer_loss(params, X, y, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    rows = np.arange(X.shape[0])
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0.0)
    scores = h @ W2 + b2
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.log(p[rows, y]).mean() + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dscores = p.copy()
    dscores[rows, y] -= 1.0
    dscores /= X.shape[0]
    dz1 = (dscores @ W2.T) * (z1 > 0)
    grads = {"W1": X.T @ dz1 + 2 * reg * W1, "b1": dz1.sum(axis=0), "W2": h.T @ dscores + 2 * reg * W2}
    grads["b2"] = dscores.sum(axis=0)
    return float(loss), grads


# %% wrong id=two_layer_loss name=relu-applied-in-place-to-X-times-W1
def two_layer_loss(params, X, y, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    rows = np.arange(X.shape[0])
    h = X @ W1 + b1
    np.maximum(h, 0.0, out=h)
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[rows, y].mean() + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dscores = np.exp(log_p)
    dscores[rows, y] -= 1.0
    dscores /= X.shape[0]
    dz1 = (dscores @ W2.T) * (h >= 0)
    grads = {"W1": X.T @ dz1 + 2 * reg * W1, "b1": dz1.sum(axis=0), "W2": h.T @ dscores + 2 * reg * W2}
    grads["b2"] = dscores.sum(axis=0)
    return float(loss), grads


# %% wrong id=train_two_layer name=gradient-ascent
def train_two_layer_net(X_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    n, d = X_train.shape
    params = {"W1": rng.normal(0.0, np.sqrt(2.0 / d), size=(d, 100)), "b1": np.zeros(100)}
    params.update({"W2": rng.normal(0.0, np.sqrt(0.02), size=(100, 10)), "b2": np.zeros(10)})
    Q = [two_layer_loss(params, X_train, y_train, 1e-4)[0]]
    for _epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            batch = order[start : start + 32]
            batch_loss, grads = two_layer_loss(params, X_train[batch], y_train[batch], 1e-4)
            params = {key: params[key] + 0.1 * grads[key] for key in params}
            Q.append(0.05 * batch_loss + 0.95 * Q[-1])
    return params, Q


# %% wrong id=train_two_layer name=zero-initialisation
def train_two_layer_net(X_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    n, d = X_train.shape
    params = {"W1": np.zeros((d, 100)), "b1": np.zeros(100), "W2": np.zeros((100, 10)), "b2": np.zeros(10)}
    Q = [two_layer_loss(params, X_train, y_train, 1e-4)[0]]
    for _epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            batch = order[start : start + 32]
            batch_loss, grads = two_layer_loss(params, X_train[batch], y_train[batch], 1e-4)
            params = {key: params[key] - 0.1 * grads[key] for key in params}
            Q.append(0.05 * batch_loss + 0.95 * Q[-1])
    return params, Q


# %% wrong id=train_two_layer name=learning-rate-far-too-small
def train_two_layer_net(X_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    n, d = X_train.shape
    params = {"W1": rng.normal(0.0, np.sqrt(2.0 / d), size=(d, 100)), "b1": np.zeros(100)}
    params.update({"W2": rng.normal(0.0, np.sqrt(0.02), size=(100, 10)), "b2": np.zeros(10)})
    Q = [two_layer_loss(params, X_train, y_train, 1e-4)[0]]
    for _epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            batch = order[start : start + 32]
            batch_loss, grads = two_layer_loss(params, X_train[batch], y_train[batch], 1e-4)
            params = {key: params[key] - 1e-5 * grads[key] for key in params}
            Q.append(0.05 * batch_loss + 0.95 * Q[-1])
    return params, Q


# %% wrong id=train_two_layer name=Q-is-the-last-batch-loss
def train_two_layer_net(X_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    n, d = X_train.shape
    params = {"W1": rng.normal(0.0, np.sqrt(2.0 / d), size=(d, 100)), "b1": np.zeros(100)}
    params.update({"W2": rng.normal(0.0, np.sqrt(0.02), size=(100, 10)), "b2": np.zeros(10)})
    Q = [two_layer_loss(params, X_train, y_train, 1e-4)[0]]
    for _epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            batch = order[start : start + 32]
            batch_loss, grads = two_layer_loss(params, X_train[batch], y_train[batch], 1e-4)
            params = {key: params[key] - 0.1 * grads[key] for key in params}
            Q.append(batch_loss)
    return params, Q


# %% wrong id=train_two_layer name=Q-starts-at-the-first-batch
def train_two_layer_net(X_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    n, d = X_train.shape
    params = {"W1": rng.normal(0.0, np.sqrt(2.0 / d), size=(d, 100)), "b1": np.zeros(100)}
    params.update({"W2": rng.normal(0.0, np.sqrt(0.02), size=(100, 10)), "b2": np.zeros(10)})
    Q = []
    for _epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            batch = order[start : start + 32]
            batch_loss, grads = two_layer_loss(params, X_train[batch], y_train[batch], 1e-4)
            params = {key: params[key] - 0.1 * grads[key] for key in params}
            Q.append(0.05 * batch_loss + 0.95 * (Q[-1] if Q else 0.0))
    return params, Q
