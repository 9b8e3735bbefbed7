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


# %% wrong id=l2_penalty name=gradient-without-lambda
def l2_penalty(w, lam):
    return float(lam * np.sum(w**2)), 2 * w


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


# %% wrong id=l1_penalty name=gradient-at-zero-is-lambda
def l1_penalty(w, lam):
    return float(lam * np.sum(np.abs(w))), lam * np.where(w < 0, -1.0, 1.0)


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


# %% wrong id=dropout_forward name=divides-by-p
def dropout_forward(x, p, training, rng):
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p) / p
    return x * mask, mask


# %% wrong id=dropout_forward name=fresh-unseeded-generator
def dropout_forward(x, p, training, rng):
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (np.random.default_rng().random(x.shape) >= p) / (1 - p)
    return x * mask, mask


# %% wrong id=dropout_forward name=returns-keep-not-the-factor
def dropout_forward(x, p, training, rng):
    if not training:
        return x.copy(), np.ones_like(x)
    keep = (rng.random(x.shape) >= p).astype(float)
    return x * keep / (1 - p), keep


# %% wrong id=dropout_forward name=draws-in-evaluation-mode
def dropout_forward(x, p, training, rng):
    u = rng.random(x.shape)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (u >= p) / (1 - p)
    return x * mask, mask


# %% wrong id=dropout_forward name=evaluation-returns-x-itself
def dropout_forward(x, p, training, rng):
    if not training:
        return x, np.ones_like(x)
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, mask


# %% wrong id=dropout_forward name=scale-drawn-per-unit
def dropout_forward(x, p, training, rng):
    if not training:
        return x.copy(), np.ones_like(x)
    u = rng.random(x.shape)
    mask = (u >= p) * 2 * u / (1 - p**2)  # E[mask] = 1 too, but the kept units get different factors
    return x * mask, mask


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


# %% wrong id=dropout_expectations name=mean-over-the-wrong-axis
def dropout_expectations(x, p, n_masks, rng):
    keep = rng.random((n_masks,) + x.shape) >= p
    return {
        "classic_train_mean": (x * keep).mean(axis=-1),
        "classic_test": (1 - p) * x,
        "inverted_train_mean": (x * keep / (1 - p)).mean(axis=-1),
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


# %% wrong id=dropout_mlp_loss name=penalises-biases-too
def dropout_mlp_loss(params, X, y, p, lam, rng, training=True):
    z1 = X @ params["W1"] + params["b1"]
    h1, m1 = dropout_forward(np.maximum(z1, 0.0), p, training, rng)
    z2 = h1 @ params["W2"] + params["b2"]
    h2, m2 = dropout_forward(np.maximum(z2, 0.0), p, training, rng)
    loss, ds = F.softmax_cross_entropy(h2 @ params["W3"] + params["b3"], y)
    grads = {"W3": h2.T @ ds, "b3": ds.sum(axis=0)}
    dz2 = dropout_backward(ds @ params["W3"].T, m2) * (z2 > 0)
    grads["W2"], grads["b2"] = h1.T @ dz2, dz2.sum(axis=0)
    dz1 = dropout_backward(dz2 @ params["W2"].T, m1) * (z1 > 0)
    grads["W1"], grads["b1"] = X.T @ dz1, dz1.sum(axis=0)
    for key in params:
        penalty, dpenalty = l2_penalty(params[key], lam)
        loss += penalty
        grads[key] = grads[key] + dpenalty
    return float(loss), grads


# %% wrong id=dropout_mlp_loss name=penalty-missing-from-the-gradient
def dropout_mlp_loss(params, X, y, p, lam, rng, training=True):
    z1 = X @ params["W1"] + params["b1"]
    h1, m1 = dropout_forward(np.maximum(z1, 0.0), p, training, rng)
    z2 = h1 @ params["W2"] + params["b2"]
    h2, m2 = dropout_forward(np.maximum(z2, 0.0), p, training, rng)
    loss, ds = F.softmax_cross_entropy(h2 @ params["W3"] + params["b3"], y)
    grads = {"W3": h2.T @ ds, "b3": ds.sum(axis=0)}
    dz2 = dropout_backward(ds @ params["W3"].T, m2) * (z2 > 0)
    grads["W2"], grads["b2"] = h1.T @ dz2, dz2.sum(axis=0)
    dz1 = dropout_backward(dz2 @ params["W2"].T, m1) * (z1 > 0)
    grads["W1"], grads["b1"] = X.T @ dz1, dz1.sum(axis=0)
    for key in ("W1", "W2", "W3"):
        loss += l2_penalty(params[key], lam)[0]
    return float(loss), grads


# %% wrong id=dropout_mlp_loss name=fresh-masks-in-backward
def dropout_mlp_loss(params, X, y, p, lam, rng, training=True):
    z1 = X @ params["W1"] + params["b1"]
    h1, _ = dropout_forward(np.maximum(z1, 0.0), p, training, rng)
    z2 = h1 @ params["W2"] + params["b2"]
    h2, _ = dropout_forward(np.maximum(z2, 0.0), p, training, rng)
    loss, ds = F.softmax_cross_entropy(h2 @ params["W3"] + params["b3"], y)
    m1 = dropout_forward(np.ones_like(z1), p, training, rng)[1]
    m2 = dropout_forward(np.ones_like(z2), p, training, rng)[1]
    grads = {"W3": h2.T @ ds, "b3": ds.sum(axis=0)}
    dz2 = dropout_backward(ds @ params["W3"].T, m2) * (z2 > 0)
    grads["W2"], grads["b2"] = h1.T @ dz2, dz2.sum(axis=0)
    dz1 = dropout_backward(dz2 @ params["W2"].T, m1) * (z1 > 0)
    grads["W1"], grads["b1"] = X.T @ dz1, dz1.sum(axis=0)
    for key in ("W1", "W2", "W3"):
        penalty, dpenalty = l2_penalty(params[key], lam)
        loss += penalty
        grads[key] = grads[key] + dpenalty
    return float(loss), grads


# %% wrong id=dropout_mlp_loss name=no-dropout-in-backward
def dropout_mlp_loss(params, X, y, p, lam, rng, training=True):
    z1 = X @ params["W1"] + params["b1"]
    h1, _ = dropout_forward(np.maximum(z1, 0.0), p, training, rng)
    z2 = h1 @ params["W2"] + params["b2"]
    h2, _ = dropout_forward(np.maximum(z2, 0.0), p, training, rng)
    loss, ds = F.softmax_cross_entropy(h2 @ params["W3"] + params["b3"], y)
    grads = {"W3": h2.T @ ds, "b3": ds.sum(axis=0)}
    dz2 = (ds @ params["W3"].T) * (z2 > 0)
    grads["W2"], grads["b2"] = h1.T @ dz2, dz2.sum(axis=0)
    dz1 = (dz2 @ params["W2"].T) * (z1 > 0)
    grads["W1"], grads["b1"] = X.T @ dz1, dz1.sum(axis=0)
    for key in ("W1", "W2", "W3"):
        penalty, dpenalty = l2_penalty(params[key], lam)
        loss += penalty
        grads[key] = grads[key] + dpenalty
    return float(loss), grads


# %% wrong id=dropout_mlp_loss name=masks-drawn-in-the-wrong-order
def dropout_mlp_loss(params, X, y, p, lam, rng, training=True):
    n = X.shape[0]
    m2 = dropout_forward(np.ones((n, params["W2"].shape[1])), p, training, rng)[1]
    m1 = dropout_forward(np.ones((n, params["W1"].shape[1])), p, training, rng)[1]
    z1 = X @ params["W1"] + params["b1"]
    h1 = np.maximum(z1, 0.0) * m1
    z2 = h1 @ params["W2"] + params["b2"]
    h2 = np.maximum(z2, 0.0) * m2
    loss, ds = F.softmax_cross_entropy(h2 @ params["W3"] + params["b3"], y)
    grads = {"W3": h2.T @ ds, "b3": ds.sum(axis=0)}
    dz2 = dropout_backward(ds @ params["W3"].T, m2) * (z2 > 0)
    grads["W2"], grads["b2"] = h1.T @ dz2, dz2.sum(axis=0)
    dz1 = dropout_backward(dz2 @ params["W2"].T, m1) * (z1 > 0)
    grads["W1"], grads["b1"] = X.T @ dz1, dz1.sum(axis=0)
    for key in ("W1", "W2", "W3"):
        penalty, dpenalty = l2_penalty(params[key], lam)
        loss += penalty
        grads[key] = grads[key] + dpenalty
    return float(loss), grads


# %% wrong id=dropout_mlp_loss name=forgets-the-relu-derivative
def dropout_mlp_loss(params, X, y, p, lam, rng, training=True):
    z1 = X @ params["W1"] + params["b1"]
    h1, m1 = dropout_forward(np.maximum(z1, 0.0), p, training, rng)
    z2 = h1 @ params["W2"] + params["b2"]
    h2, m2 = dropout_forward(np.maximum(z2, 0.0), p, training, rng)
    loss, ds = F.softmax_cross_entropy(h2 @ params["W3"] + params["b3"], y)
    grads = {"W3": h2.T @ ds, "b3": ds.sum(axis=0)}
    dz2 = dropout_backward(ds @ params["W3"].T, m2)
    grads["W2"], grads["b2"] = h1.T @ dz2, dz2.sum(axis=0)
    dz1 = dropout_backward(dz2 @ params["W2"].T, m1)
    grads["W1"], grads["b1"] = X.T @ dz1, dz1.sum(axis=0)
    for key in ("W1", "W2", "W3"):
        penalty, dpenalty = l2_penalty(params[key], lam)
        loss += penalty
        grads[key] = grads[key] + dpenalty
    return float(loss), grads


# %% wrong id=dropout_mlp_loss name=dropout-in-evaluation-mode-too
def dropout_mlp_loss(params, X, y, p, lam, rng, training=True):
    z1 = X @ params["W1"] + params["b1"]
    h1, m1 = dropout_forward(np.maximum(z1, 0.0), p, True, rng)
    z2 = h1 @ params["W2"] + params["b2"]
    h2, m2 = dropout_forward(np.maximum(z2, 0.0), p, True, rng)
    loss, ds = F.softmax_cross_entropy(h2 @ params["W3"] + params["b3"], y)
    grads = {"W3": h2.T @ ds, "b3": ds.sum(axis=0)}
    dz2 = dropout_backward(ds @ params["W3"].T, m2) * (z2 > 0)
    grads["W2"], grads["b2"] = h1.T @ dz2, dz2.sum(axis=0)
    dz1 = dropout_backward(dz2 @ params["W2"].T, m1) * (z1 > 0)
    grads["W1"], grads["b1"] = X.T @ dz1, dz1.sum(axis=0)
    for key in ("W1", "W2", "W3"):
        penalty, dpenalty = l2_penalty(params[key], lam)
        loss += penalty
        grads[key] = grads[key] + dpenalty
    return float(loss), grads


# %% wrong id=dropout_mlp_loss name=dropout-on-the-input-too
def dropout_mlp_loss(params, X, y, p, lam, rng, training=True):
    X, m0 = dropout_forward(X, p, training, rng)
    z1 = X @ params["W1"] + params["b1"]
    h1, m1 = dropout_forward(np.maximum(z1, 0.0), p, training, rng)
    z2 = h1 @ params["W2"] + params["b2"]
    h2, m2 = dropout_forward(np.maximum(z2, 0.0), p, training, rng)
    loss, ds = F.softmax_cross_entropy(h2 @ params["W3"] + params["b3"], y)
    grads = {"W3": h2.T @ ds, "b3": ds.sum(axis=0)}
    dz2 = dropout_backward(ds @ params["W3"].T, m2) * (z2 > 0)
    grads["W2"], grads["b2"] = h1.T @ dz2, dz2.sum(axis=0)
    dz1 = dropout_backward(dz2 @ params["W2"].T, m1) * (z1 > 0)
    grads["W1"], grads["b1"] = X.T @ dz1, dz1.sum(axis=0)
    for key in ("W1", "W2", "W3"):
        penalty, dpenalty = l2_penalty(params[key], lam)
        loss += penalty
        grads[key] = grads[key] + dpenalty
    return float(loss), grads


# %% wrong id=dropout_mlp_loss name=gradient-not-averaged-over-the-batch
def dropout_mlp_loss(params, X, y, p, lam, rng, training=True):
    z1 = X @ params["W1"] + params["b1"]
    h1, m1 = dropout_forward(np.maximum(z1, 0.0), p, training, rng)
    z2 = h1 @ params["W2"] + params["b2"]
    h2, m2 = dropout_forward(np.maximum(z2, 0.0), p, training, rng)
    loss, ds = F.softmax_cross_entropy(h2 @ params["W3"] + params["b3"], y)
    ds = ds * X.shape[0]
    grads = {"W3": h2.T @ ds, "b3": ds.sum(axis=0)}
    dz2 = dropout_backward(ds @ params["W3"].T, m2) * (z2 > 0)
    grads["W2"], grads["b2"] = h1.T @ dz2, dz2.sum(axis=0)
    dz1 = dropout_backward(dz2 @ params["W2"].T, m1) * (z1 > 0)
    grads["W1"], grads["b1"] = X.T @ dz1, dz1.sum(axis=0)
    for key in ("W1", "W2", "W3"):
        penalty, dpenalty = l2_penalty(params[key], lam)
        loss += penalty
        grads[key] = grads[key] + dpenalty
    return float(loss), grads


# %% wrong id=dropout_mlp_loss name=decays-the-callers-weights
def dropout_mlp_loss(params, X, y, p, lam, rng, training=True):
    z1 = X @ params["W1"] + params["b1"]
    h1, m1 = dropout_forward(np.maximum(z1, 0.0), p, training, rng)
    z2 = h1 @ params["W2"] + params["b2"]
    h2, m2 = dropout_forward(np.maximum(z2, 0.0), p, training, rng)
    loss, ds = F.softmax_cross_entropy(h2 @ params["W3"] + params["b3"], y)
    grads = {"W3": h2.T @ ds, "b3": ds.sum(axis=0)}
    dz2 = dropout_backward(ds @ params["W3"].T, m2) * (z2 > 0)
    grads["W2"], grads["b2"] = h1.T @ dz2, dz2.sum(axis=0)
    dz1 = dropout_backward(dz2 @ params["W2"].T, m1) * (z1 > 0)
    grads["W1"], grads["b1"] = X.T @ dz1, dz1.sum(axis=0)
    for key in ("W1", "W2", "W3"):
        penalty, dpenalty = l2_penalty(params[key], lam)
        loss += penalty
        grads[key] = grads[key] + dpenalty
        params[key] *= 1.0 - 2.0 * lam  # decays the caller's weights: the optimiser's job, not this function's
    return float(loss), grads


# %% wrong id=dropout_linear name=penalty-without-the-inverted-scaling
def dropout_linear_loss(X, y, w, p):
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got p={p}")
    return float(np.mean((y - X @ w) ** 2)), float(p * np.sum(w**2 * np.mean(X**2, axis=0)))


def dropout_linear_solution(X, y, p):
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got p={p}")
    n = len(y)
    return np.linalg.solve(X.T @ X / n + p * np.diag(np.mean(X**2, axis=0)), X.T @ y / n)


# %% wrong id=dropout_linear name=keep-and-drop-probabilities-swapped
def dropout_linear_loss(X, y, w, p):
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got p={p}")
    odds = (1.0 - p) / p if p > 0 else 0.0
    return float(np.mean((y - X @ w) ** 2)), float(odds * np.sum(w**2 * np.mean(X**2, axis=0)))


def dropout_linear_solution(X, y, p):
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got p={p}")
    n, odds = len(y), (1.0 - p) / p if p > 0 else 0.0
    return np.linalg.solve(X.T @ X / n + odds * np.diag(np.mean(X**2, axis=0)), X.T @ y / n)


# %% wrong id=dropout_linear name=feature-variance-instead-of-mean-square
def dropout_linear_loss(X, y, w, p):
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got p={p}")
    return float(np.mean((y - X @ w) ** 2)), float(p / (1 - p) * np.sum(w**2 * np.var(X, axis=0)))


def dropout_linear_solution(X, y, p):
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got p={p}")
    n = len(y)
    return np.linalg.solve(X.T @ X / n + p / (1 - p) * np.diag(np.var(X, axis=0)), X.T @ y / n)


# %% wrong id=dropout_linear name=plain-l2-without-the-feature-scale
def dropout_linear_loss(X, y, w, p):
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got p={p}")
    return float(np.mean((y - X @ w) ** 2)), float(p / (1 - p) * np.sum(w**2))


def dropout_linear_solution(X, y, p):
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got p={p}")
    n, d = X.shape
    return np.linalg.solve(X.T @ X / n + p / (1 - p) * np.eye(d), X.T @ y / n)


# %% wrong id=dropout_linear name=solution-mixes-sum-and-mean
# (this section and the next two redefine only what is wrong: the solution's cell is restored after each)
def dropout_linear_solution(X, y, p):
    return np.linalg.solve(X.T @ X + p / (1 - p) * np.diag(np.mean(X**2, axis=0)), X.T @ y)


# %% wrong id=dropout_linear name=solution-ignores-dropout
def dropout_linear_solution(X, y, p):
    return np.linalg.lstsq(X, y, rcond=None)[0]


# %% wrong id=dropout_linear name=no-check-of-p
def dropout_linear_loss(X, y, w, p):
    return float(np.mean((y - X @ w) ** 2)), float(p / (1 - p) * np.sum(w**2 * np.mean(X**2, axis=0)))


# %% wrong id=train_mnist1d_mlp name=no-regularisation
def train_mnist1d_mlp(X, y, seed=0):
    rng = np.random.default_rng(seed)
    sizes, params = (40, 128, 128, 10), {}
    for k, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        params[f"W{k}"] = nn.Parameter(rng.normal(0.0, np.sqrt(2.0 / d_in), size=(d_in, d_out)))
        params[f"b{k}"] = nn.Parameter(np.zeros(d_out))
    opt = optim.Adam(list(params.values()), lr=3e-3)
    for _ in range(30):
        order = rng.permutation(len(y))
        for start in range(0, len(y), 100):
            idx = order[start : start + 100]
            _, grads = dropout_mlp_loss({k: v.data for k, v in params.items()}, X[idx], y[idx], 0.0, 0.0, rng)
            for k, v in params.items():
                v.grad[...] = grads[k]
            opt.step()
    return {k: v.data.copy() for k, v in params.items()}


# %% wrong id=train_mnist1d_mlp name=dropout-and-l2-only
def train_mnist1d_mlp(X, y, seed=0):
    rng = np.random.default_rng(seed)
    sizes, params = (40, 128, 128, 10), {}
    for k, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        params[f"W{k}"] = nn.Parameter(rng.normal(0.0, np.sqrt(2.0 / d_in), size=(d_in, d_out)))
        params[f"b{k}"] = nn.Parameter(np.zeros(d_out))
    opt = optim.Adam(list(params.values()), lr=3e-3)
    for _ in range(40):
        order = rng.permutation(len(y))
        for start in range(0, len(y), 100):
            idx = order[start : start + 100]
            _, grads = dropout_mlp_loss({k: v.data for k, v in params.items()}, X[idx], y[idx], 0.2, 1e-4, rng)
            for k, v in params.items():
                v.grad[...] = grads[k]
            opt.step()
    return {k: v.data.copy() for k, v in params.items()}


# %% wrong id=train_mnist1d_mlp name=weights-stored-transposed
def train_mnist1d_mlp(X, y, seed=0):
    rng = np.random.default_rng(seed)
    sizes, params = (40, 64, 64, 10), {}
    for k, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        params[f"W{k}"] = rng.normal(0.0, np.sqrt(2.0 / d_in), size=(d_in, d_out))
        params[f"b{k}"] = np.zeros(d_out)
    for _ in range(20):
        _, grads = dropout_mlp_loss(params, X, y, 0.0, 0.0, rng)
        params = {k: params[k] - 0.5 * grads[k] for k in params}
    return {k: (v.T if k.startswith("W") else v) for k, v in params.items()}


# %% wrong id=train_mnist1d_mlp name=augments-X-in-place
def train_mnist1d_mlp(X, y, seed=0):
    rng = np.random.default_rng(seed)
    sizes, params = (40, 128, 128, 10), {}
    for k, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        params[f"W{k}"] = nn.Parameter(rng.normal(0.0, np.sqrt(2.0 / d_in), size=(d_in, d_out)))
        params[f"b{k}"] = nn.Parameter(np.zeros(d_out))
    opt = optim.Adam(list(params.values()), lr=3e-3)
    for _ in range(60):
        X[:] = np.roll(X, rng.integers(-1, 2), axis=1)  # shifts the caller's data: X is not ours to change
        order = rng.permutation(len(y))
        for start in range(0, len(y), 100):
            idx = order[start : start + 100]
            _, grads = dropout_mlp_loss({k: v.data for k, v in params.items()}, X[idx], y[idx], 0.1, 0.0, rng)
            for k, v in params.items():
                v.grad[...] = grads[k]
            opt.step()
    return {k: v.data.copy() for k, v in params.items()}
