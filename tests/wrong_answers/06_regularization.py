# Typical wrong answers for 06_regularization: each must lose points (see coursekit/instructor/mutations.py).

# %% wrong id=l2_penalty name=gradient-missing-factor-2
def l2_penalty(w, lam):
    return float(lam * np.sum(w**2)), lam * w


# %% wrong id=l2_penalty name=half-penalty-convention
def l2_penalty(w, lam):
    return float(0.5 * lam * np.sum(w**2)), lam * w


# %% wrong id=l2_penalty name=norm-not-squared
def l2_penalty(w, lam):
    norm = np.sqrt(np.sum(w**2))
    return float(lam * norm), lam * w / norm


# %% wrong id=l2_penalty name=penalty-not-summed
def l2_penalty(w, lam):
    return lam * w**2, 2 * lam * w


# %% wrong id=l2_penalty name=modifies-w-in-place
def l2_penalty(w, lam):
    penalty = float(lam * np.sum(w**2))
    w *= 2 * lam
    return penalty, w


# %% wrong id=l2_penalty name=gradient-wrong-sign
def l2_penalty(w, lam):
    return float(lam * np.sum(w**2)), -2 * lam * w


# %% wrong id=l1_penalty name=l2-gradient
def l1_penalty(w, lam):
    return float(lam * np.sum(np.abs(w))), lam * w


# %% wrong id=l1_penalty name=sign-of-zero-is-one
def l1_penalty(w, lam):
    return float(lam * np.sum(np.abs(w))), np.where(w >= 0, lam, -lam)


# %% wrong id=l1_penalty name=penalty-without-abs
def l1_penalty(w, lam):
    return float(lam * np.sum(w)), lam * np.sign(w)


# %% wrong id=l1_penalty name=gradient-missing-lambda
def l1_penalty(w, lam):
    return float(lam * np.sum(np.abs(w))), np.sign(w)


# %% wrong id=l1_penalty name=gradient-factor-2
def l1_penalty(w, lam):
    return float(lam * np.sum(np.abs(w))), 2 * lam * np.sign(w)


# %% wrong id=dropout_forward name=p-is-keep-probability
def dropout_forward(x, p, training, rng):
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) < p) / p
    return x * mask, mask


# %% wrong id=dropout_forward name=no-scaling-classic-dropout
def dropout_forward(x, p, training, rng):
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p).astype(float)
    return x * mask, mask


# %% wrong id=dropout_forward name=scale-by-keep-prob-not-its-inverse
def dropout_forward(x, p, training, rng):
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p) * (1 - p)
    return x * mask, mask


# %% wrong id=dropout_forward name=scales-at-test-time
def dropout_forward(x, p, training, rng):
    if not training:
        return x * (1 - p), np.full(x.shape, 1 - p)
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, mask


# %% wrong id=dropout_forward name=drops-at-test-time-too
def dropout_forward(x, p, training, rng):
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, mask


# %% wrong id=dropout_forward name=one-mask-for-the-whole-batch
def dropout_forward(x, p, training, rng):
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape[1:]) >= p) / (1 - p)
    return x * mask, np.broadcast_to(mask, x.shape).copy()


# %% wrong id=dropout_forward name=global-numpy-random
def dropout_forward(x, p, training, rng):
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (np.random.random(x.shape) >= p) / (1 - p)
    return x * mask, mask


# %% wrong id=dropout_forward name=in-place-on-x
def dropout_forward(x, p, training, rng):
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p) / (1 - p)
    x *= mask
    return x, mask


# %% wrong id=dropout_backward name=forgets-the-scale
def dropout_backward(dout, mask):
    return dout * (mask > 0)


# %% wrong id=dropout_backward name=divides-by-mask
def dropout_backward(dout, mask):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mask > 0, dout / np.where(mask > 0, mask, 1.0), 0.0)


# %% wrong id=dropout_backward name=passes-gradient-unchanged
def dropout_backward(dout, mask):
    return dout.copy()


# %% wrong id=dropout_backward name=in-place-on-dout
def dropout_backward(dout, mask):
    dout *= mask
    return dout


# %% wrong id=dropout_expectations name=classic-test-scales-x-in-place
def dropout_expectations(x, p, n_masks, rng):
    keep = rng.random((n_masks,) + x.shape) >= p
    inverted_train_mean = (x * keep / (1.0 - p)).mean(axis=0)
    inverted_test = x.copy()
    classic_train_mean = (x * keep).mean(axis=0)
    x *= 1.0 - p  # the classic test-time rule, applied to the caller's array
    return {
        "classic_train_mean": classic_train_mean,
        "classic_test": x,
        "inverted_train_mean": inverted_train_mean,
        "inverted_test": inverted_test,
    }


# %% wrong id=dropout_expectations name=test-scale-by-p
def dropout_expectations(x, p, n_masks, rng):
    keep = rng.random((n_masks,) + x.shape) >= p
    return {
        "classic_train_mean": (x * keep).mean(axis=0),
        "classic_test": p * x,
        "inverted_train_mean": (x * keep / (1 - p)).mean(axis=0),
        "inverted_test": x.copy(),
    }


# %% wrong id=dropout_expectations name=inverted-test-also-scaled
def dropout_expectations(x, p, n_masks, rng):
    keep = rng.random((n_masks,) + x.shape) >= p
    return {
        "classic_train_mean": (x * keep).mean(axis=0),
        "classic_test": (1 - p) * x,
        "inverted_train_mean": (x * keep / (1 - p)).mean(axis=0),
        "inverted_test": (1 - p) * x,
    }


# %% wrong id=dropout_expectations name=inverted-multiplies-by-keep-prob
def dropout_expectations(x, p, n_masks, rng):
    keep = rng.random((n_masks,) + x.shape) >= p
    return {
        "classic_train_mean": (x * keep).mean(axis=0),
        "classic_test": (1 - p) * x,
        "inverted_train_mean": (x * keep * (1 - p)).mean(axis=0),
        "inverted_test": x.copy(),
    }


# %% wrong id=dropout_expectations name=keep-with-probability-p
def dropout_expectations(x, p, n_masks, rng):
    keep = rng.random((n_masks,) + x.shape) < p
    return {
        "classic_train_mean": (x * keep).mean(axis=0),
        "classic_test": (1 - p) * x,
        "inverted_train_mean": (x * keep / (1 - p)).mean(axis=0),
        "inverted_test": x.copy(),
    }


# %% wrong id=dropout_expectations name=separate-masks-per-scheme
def dropout_expectations(x, p, n_masks, rng):
    keep_a = rng.random((n_masks,) + x.shape) >= p
    keep_b = rng.random((n_masks,) + x.shape) >= p
    return {
        "classic_train_mean": (x * keep_a).mean(axis=0),
        "classic_test": (1 - p) * x,
        "inverted_train_mean": (x * keep_b / (1 - p)).mean(axis=0),
        "inverted_test": x.copy(),
    }


# %% wrong id=dropout_expectations name=one-mask-per-sample-not-per-unit
def dropout_expectations(x, p, n_masks, rng):
    keep = rng.random((n_masks,) + (1,) * x.ndim) >= p
    return {
        "classic_train_mean": (x * keep).mean(axis=0),
        "classic_test": (1 - p) * x,
        "inverted_train_mean": (x * keep / (1 - p)).mean(axis=0),
        "inverted_test": x.copy(),
    }


# %% wrong id=train_with_early_stopping name=stores-references-not-copies
def train_with_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    best_loss, best_epoch, best_params, wait, losses = np.inf, None, None, 0, []
    for epoch in range(max_epochs):
        train_epoch(model)
        loss = float(val_loss(model))
        losses.append(loss)
        if loss < best_loss:
            best_loss, best_epoch, wait = loss, epoch, 0
            best_params = [p.data for p in model.parameters()]
        else:
            wait += 1
            if wait >= patience:
                break
    for p, saved in zip(model.parameters(), best_params, strict=True):
        p.data[...] = saved
    return best_epoch, losses


# %% wrong id=train_with_early_stopping name=no-restore
def train_with_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    best_loss, best_epoch, wait, losses = np.inf, None, 0, []
    for epoch in range(max_epochs):
        train_epoch(model)
        loss = float(val_loss(model))
        losses.append(loss)
        if loss < best_loss:
            best_loss, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                break
    return best_epoch, losses


# %% wrong id=train_with_early_stopping name=ties-count-as-improvement
def train_with_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    best_loss, best_epoch, best_params, wait, losses = np.inf, None, None, 0, []
    for epoch in range(max_epochs):
        train_epoch(model)
        loss = float(val_loss(model))
        losses.append(loss)
        if loss <= best_loss:
            best_loss, best_epoch, wait = loss, epoch, 0
            best_params = [p.data.copy() for p in model.parameters()]
        else:
            wait += 1
            if wait >= patience:
                break
    for p, saved in zip(model.parameters(), best_params, strict=True):
        p.data[...] = saved
    return best_epoch, losses


# %% wrong id=train_with_early_stopping name=patience-off-by-one
def train_with_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    best_loss, best_epoch, best_params, wait, losses = np.inf, None, None, 0, []
    for epoch in range(max_epochs):
        train_epoch(model)
        loss = float(val_loss(model))
        losses.append(loss)
        if loss < best_loss:
            best_loss, best_epoch, wait = loss, epoch, 0
            best_params = [p.data.copy() for p in model.parameters()]
        else:
            wait += 1
            if wait > patience:
                break
    for p, saved in zip(model.parameters(), best_params, strict=True):
        p.data[...] = saved
    return best_epoch, losses


# %% wrong id=train_with_early_stopping name=never-stops
def train_with_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    best_loss, best_epoch, best_params, losses = np.inf, None, None, []
    for epoch in range(max_epochs):
        train_epoch(model)
        loss = float(val_loss(model))
        losses.append(loss)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_params = [p.data.copy() for p in model.parameters()]
    for p, saved in zip(model.parameters(), best_params, strict=True):
        p.data[...] = saved
    return best_epoch, losses


# %% wrong id=train_with_early_stopping name=returns-last-epoch
def train_with_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    best_loss, best_params, wait, losses = np.inf, None, 0, []
    for _ in range(max_epochs):
        train_epoch(model)
        loss = float(val_loss(model))
        losses.append(loss)
        if loss < best_loss:
            best_loss, wait = loss, 0
            best_params = [p.data.copy() for p in model.parameters()]
        else:
            wait += 1
            if wait >= patience:
                break
    for p, saved in zip(model.parameters(), best_params, strict=True):
        p.data[...] = saved
    return len(losses) - 1, losses


# %% wrong id=train_with_early_stopping name=one-based-epoch
def train_with_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    best_loss, best_epoch, best_params, wait, losses = np.inf, None, None, 0, []
    for epoch in range(1, max_epochs + 1):
        train_epoch(model)
        loss = float(val_loss(model))
        losses.append(loss)
        if loss < best_loss:
            best_loss, best_epoch, wait = loss, epoch, 0
            best_params = [p.data.copy() for p in model.parameters()]
        else:
            wait += 1
            if wait >= patience:
                break
    for p, saved in zip(model.parameters(), best_params, strict=True):
        p.data[...] = saved
    return best_epoch, losses


# %% wrong id=train_with_early_stopping name=restores-only-the-first-parameter
def train_with_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    best_loss, best_epoch, best_params, wait, losses = np.inf, None, None, 0, []
    for epoch in range(max_epochs):
        train_epoch(model)
        loss = float(val_loss(model))
        losses.append(loss)
        if loss < best_loss:
            best_loss, best_epoch, wait = loss, epoch, 0
            best_params = [p.data.copy() for p in model.parameters()]
        else:
            wait += 1
            if wait >= patience:
                break
    first = next(iter(model.parameters()))
    first.data[...] = best_params[0]
    return best_epoch, losses


# %% wrong id=ensemble_predict name=averages-scores-then-softmax
def ensemble_predict(models, X):
    scores = []
    for model in models:
        model.eval()
        scores.append(model(X))
    return F.softmax(np.mean(scores, axis=0), axis=1)


# %% wrong id=ensemble_predict name=majority-vote
def ensemble_predict(models, X):
    votes = np.zeros((X.shape[0], models[0](X).shape[1]))
    for model in models:
        model.eval()
        votes[np.arange(X.shape[0]), model(X).argmax(axis=1)] += 1
    return votes / len(models)


# %% wrong id=ensemble_predict name=dropout-left-on
def ensemble_predict(models, X):
    return np.mean([F.softmax(model(X), axis=1) for model in models], axis=0)


# %% wrong id=ensemble_predict name=softmax-over-samples
def ensemble_predict(models, X):
    probs = []
    for model in models:
        model.eval()
        probs.append(F.softmax(model(X), axis=0))
    return np.mean(probs, axis=0)


# %% wrong id=ensemble_predict name=sums-instead-of-averaging
def ensemble_predict(models, X):
    probs = []
    for model in models:
        model.eval()
        probs.append(F.softmax(model(X), axis=1))
    return np.sum(probs, axis=0)


# %% wrong id=ensemble_predict name=averages-over-classes
def ensemble_predict(models, X):
    probs = []
    for model in models:
        model.eval()
        probs.append(F.softmax(model(X), axis=1))
    return np.stack(probs, axis=1).mean(axis=2)


# %% wrong id=shift_digits name=np-roll-wraps-around
def shift_digits(X, dx, dy):
    images = np.asarray(X, dtype=np.float64).reshape(-1, 8, 8)
    return np.roll(images, (dy, dx), axis=(1, 2)).reshape(-1, 64)


# %% wrong id=shift_digits name=wrong-direction
def shift_digits(X, dx, dy):
    images = np.asarray(X, dtype=np.float64).reshape(-1, 8, 8)
    out = np.zeros_like(images)
    dx, dy = -dx, -dy
    src_r, dst_r = slice(max(-dy, 0), 8 - max(dy, 0)), slice(max(dy, 0), 8 - max(-dy, 0))
    src_c, dst_c = slice(max(-dx, 0), 8 - max(dx, 0)), slice(max(dx, 0), 8 - max(-dx, 0))
    out[:, dst_r, dst_c] = images[:, src_r, src_c]
    return out.reshape(-1, 64)


# %% wrong id=shift_digits name=axes-swapped
def shift_digits(X, dx, dy):
    images = np.asarray(X, dtype=np.float64).reshape(-1, 8, 8)
    out = np.zeros_like(images)
    dx, dy = dy, dx
    src_r, dst_r = slice(max(-dy, 0), 8 - max(dy, 0)), slice(max(dy, 0), 8 - max(-dy, 0))
    src_c, dst_c = slice(max(-dx, 0), 8 - max(dx, 0)), slice(max(dx, 0), 8 - max(-dx, 0))
    out[:, dst_r, dst_c] = images[:, src_r, src_c]
    return out.reshape(-1, 64)


# %% wrong id=shift_digits name=shifts-the-flat-vector
def shift_digits(X, dx, dy):
    X = np.asarray(X, dtype=np.float64)
    k = dx + 8 * dy
    out = np.zeros_like(X)
    if k >= 0:
        out[:, k:] = X[:, : 64 - k]
    else:
        out[:, :k] = X[:, -k:]
    return out


# %% wrong id=shift_digits name=modifies-X-in-place
def shift_digits(X, dx, dy):
    images = X.reshape(-1, 8, 8)
    shifted = np.roll(images, (dy, dx), axis=(1, 2))
    if dy > 0:
        shifted[:, :dy, :] = 0
    elif dy < 0:
        shifted[:, dy:, :] = 0
    if dx > 0:
        shifted[:, :, :dx] = 0
    elif dx < 0:
        shifted[:, :, dx:] = 0
    images[...] = shifted
    return X


# %% wrong id=shift_digits name=column-major-reshape
def shift_digits(X, dx, dy):
    images = np.asarray(X, dtype=np.float64).reshape(-1, 8, 8, order="F")
    out = np.zeros_like(images)
    src_r, dst_r = slice(max(-dy, 0), 8 - max(dy, 0)), slice(max(dy, 0), 8 - max(-dy, 0))
    src_c, dst_c = slice(max(-dx, 0), 8 - max(dx, 0)), slice(max(dx, 0), 8 - max(-dx, 0))
    out[:, dst_r, dst_c] = images[:, src_r, src_c]
    return out.reshape(-1, 64, order="F")


# %% wrong id=augment_with_shifts name=labels-repeated-not-tiled
def augment_with_shifts(X, y):
    shifts = [(1, 0), (-1, 0), (0, 1), (0, -1)]
    X_aug = np.concatenate([X] + [shift_digits(X, dx, dy) for dx, dy in shifts])
    return X_aug, np.repeat(y, 5)


# %% wrong id=augment_with_shifts name=originals-missing
def augment_with_shifts(X, y):
    shifts = [(1, 0), (-1, 0), (0, 1), (0, -1), (0, 0)]
    X_aug = np.concatenate([shift_digits(X, dx, dy) for dx, dy in shifts])
    return X_aug, np.tile(y, 5)


# %% wrong id=augment_with_shifts name=wrong-order
def augment_with_shifts(X, y):
    shifts = [(-1, 0), (1, 0), (0, -1), (0, 1)]
    X_aug = np.concatenate([X] + [shift_digits(X, dx, dy) for dx, dy in shifts])
    return X_aug, np.tile(y, 5)


# %% wrong id=augment_with_shifts name=images-interleaved-labels-tiled
def augment_with_shifts(X, y):
    shifts = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]
    stacked = np.stack([shift_digits(X, dx, dy) for dx, dy in shifts], axis=1)
    return stacked.reshape(-1, 64), np.tile(y, 5)


# %% wrong id=my_dropout name=fresh-mask-in-backward
class MyDropout(nn.Module):
    def __init__(self, p, rng):
        super().__init__()
        self.p, self.rng, self.mask = p, rng, None

    def forward(self, x):
        return dropout_forward(x, self.p, self.training, self.rng)[0]

    def backward(self, dout):
        return dropout_backward(dout, dropout_forward(np.ones_like(dout), self.p, True, self.rng)[1])


# %% wrong id=my_dropout name=drops-in-evaluation-mode
class MyDropout(nn.Module):
    def __init__(self, p, rng):
        super().__init__()
        self.p, self.rng, self.mask = p, rng, None

    def forward(self, x):
        out, self.mask = dropout_forward(x, self.p, True, self.rng)
        return out

    def backward(self, dout):
        return dropout_backward(dout, self.mask)


# %% wrong id=my_dropout name=backward-passes-gradient-unmasked
class MyDropout(nn.Module):
    def __init__(self, p, rng):
        super().__init__()
        self.p, self.rng, self.mask = p, rng, None

    def forward(self, x):
        out, self.mask = dropout_forward(x, self.p, self.training, self.rng)
        return out

    def backward(self, dout):
        return dout


# %% wrong id=my_dropout name=one-mask-drawn-once
class MyDropout(nn.Module):
    def __init__(self, p, rng):
        super().__init__()
        self.p, self.rng, self.mask = p, rng, None

    def forward(self, x):
        if not self.training:
            return x.copy()
        if self.mask is None or self.mask.shape != x.shape:
            self.mask = dropout_forward(np.ones_like(x), self.p, True, self.rng)[1]
        return x * self.mask

    def backward(self, dout):
        return dropout_backward(dout, self.mask)


# %% wrong id=add_l2_penalty name=overwrites-the-data-gradient
def add_l2_penalty(model, lam):
    total = 0.0
    for layer in model:
        if isinstance(layer, nn.Linear):
            penalty, grad = l2_penalty(layer.weight.data, lam)
            layer.weight.grad[...] = grad
            total += penalty
    return total


# %% wrong id=add_l2_penalty name=penalises-biases-too
def add_l2_penalty(model, lam):
    total = 0.0
    for layer in model:
        if isinstance(layer, nn.Linear):
            for param in (layer.weight, layer.bias):
                penalty, grad = l2_penalty(param.data, lam)
                param.grad += grad
                total += penalty
    return total


# %% wrong id=add_l2_penalty name=last-layer-only
def add_l2_penalty(model, lam):
    layer = [m for m in model if isinstance(m, nn.Linear)][-1]
    penalty, grad = l2_penalty(layer.weight.data, lam)
    layer.weight.grad += grad
    return penalty


# %% wrong id=add_l2_penalty name=decays-the-weights-instead
def add_l2_penalty(model, lam):
    total = 0.0
    for layer in model:
        if isinstance(layer, nn.Linear):
            penalty, grad = l2_penalty(layer.weight.data, lam)
            layer.weight.data -= grad
            total += penalty
    return total
