# Typical wrong answers for 08_optimizers: each section replaces the solution cell `id`,
# and that exercise's tests (visible + hidden) must then fail.

# %% wrong id=sgd_step name=plus-sign-ascends
def sgd_step(w, grad, lr):
    return w + lr * grad


# %% wrong id=sgd_step name=forgets-learning-rate
def sgd_step(w, grad, lr):
    return w - grad


# %% wrong id=sgd_step name=in-place-mutates-w
def sgd_step(w, grad, lr):
    w -= lr * grad
    return w


# %% wrong id=sgd_step name=returns-the-update-not-the-weights
def sgd_step(w, grad, lr):
    return -lr * grad


# %% wrong id=momentum_step name=torch-buffer-instead-of-velocity
def momentum_step(w, v, grad, lr, mu):
    v_new = mu * v + grad
    return w - lr * v_new, v_new


# %% wrong id=momentum_step name=velocity-sign-flipped
def momentum_step(w, v, grad, lr, mu):
    v_new = mu * v + lr * grad
    return w - v_new, v_new


# %% wrong id=momentum_step name=forgets-learning-rate
def momentum_step(w, v, grad, lr, mu):
    v_new = mu * v - grad
    return w + v_new, v_new


# %% wrong id=momentum_step name=moves-with-the-old-velocity
def momentum_step(w, v, grad, lr, mu):
    w_new = w + v
    return w_new, mu * v - lr * grad


# %% wrong id=momentum_step name=dampened-velocity
def momentum_step(w, v, grad, lr, mu):
    v_new = mu * v - (1 - mu) * lr * grad
    return w + v_new, v_new


# %% wrong id=momentum_step name=in-place-mutates-inputs
def momentum_step(w, v, grad, lr, mu):
    v *= mu
    v -= lr * grad
    w += v
    return w, v


# %% wrong id=nesterov_step name=plain-momentum
def nesterov_step(w, v, grad, lr, mu):
    v_new = mu * v - lr * grad
    return w + v_new, v_new


# %% wrong id=nesterov_step name=look-ahead-with-old-velocity
def nesterov_step(w, v, grad, lr, mu):
    v_new = mu * v - lr * grad
    return w - lr * grad + mu * v, v_new


# %% wrong id=nesterov_step name=forgets-minus-mu-v
def nesterov_step(w, v, grad, lr, mu):
    v_new = mu * v - lr * grad
    return w + (1 + mu) * v_new, v_new


# %% wrong id=nesterov_step name=gradient-sign-flipped
def nesterov_step(w, v, grad, lr, mu):
    v_new = mu * v + lr * grad
    return w + lr * grad + mu * v_new, v_new


# %% wrong id=nesterov_step name=in-place-mutates-inputs
def nesterov_step(w, v, grad, lr, mu):
    v *= mu
    v -= lr * grad
    w -= lr * grad
    w += mu * v
    return w, v


# %% wrong id=rmsprop_step name=eps-inside-the-square-root
def rmsprop_step(w, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + (1 - alpha) * grad**2
    return w - lr * grad / np.sqrt(s_new + eps), s_new


# %% wrong id=rmsprop_step name=forgets-one-minus-alpha
def rmsprop_step(w, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + grad**2
    return w - lr * grad / (np.sqrt(s_new) + eps), s_new


# %% wrong id=rmsprop_step name=alpha-and-one-minus-alpha-swapped
def rmsprop_step(w, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = (1 - alpha) * s + alpha * grad**2
    return w - lr * grad / (np.sqrt(s_new) + eps), s_new


# %% wrong id=rmsprop_step name=divides-by-the-old-average
def rmsprop_step(w, s, grad, lr, alpha=0.99, eps=1e-8):
    w_new = w - lr * grad / (np.sqrt(s) + eps)
    return w_new, alpha * s + (1 - alpha) * grad**2


# %% wrong id=rmsprop_step name=abs-instead-of-square
def rmsprop_step(w, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + (1 - alpha) * np.abs(grad)
    return w - lr * grad / (np.sqrt(s_new) + eps), s_new


# %% wrong id=rmsprop_step name=in-place-mutates-inputs
def rmsprop_step(w, s, grad, lr, alpha=0.99, eps=1e-8):
    s *= alpha
    s += (1 - alpha) * grad**2
    w -= lr * grad / (np.sqrt(s) + eps)
    return w, s


# %% wrong id=adam_step name=no-bias-correction
def adam_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    return w - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new


# %% wrong id=adam_step name=bias-correction-only-on-m
def adam_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    return w - lr * m_new / (1 - beta1**t) / (np.sqrt(v_new) + eps), m_new, v_new


# %% wrong id=adam_step name=step-counter-from-zero
def adam_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t - 1) + 1e-300)
    v_hat = v_new / (1 - beta2 ** (t - 1) + 1e-300)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


# %% wrong id=adam_step name=step-counter-one-ahead
def adam_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


# %% wrong id=adam_step name=eps-inside-the-square-root
def adam_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    return w - lr * m_hat / np.sqrt(v_hat + eps), m_new, v_new


# %% wrong id=adam_step name=betas-swapped
def adam_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta2 * m + (1 - beta2) * grad
    v_new = beta1 * v + (1 - beta1) * grad**2
    m_hat = m_new / (1 - beta2**t)
    v_hat = v_new / (1 - beta1**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


# %% wrong id=adam_step name=returns-bias-corrected-state
def adam_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_hat = (beta1 * m + (1 - beta1) * grad) / (1 - beta1**t)
    v_hat = (beta2 * v + (1 - beta2) * grad**2) / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_hat, v_hat


# %% wrong id=adam_step name=in-place-mutates-inputs
def adam_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad**2
    w -= lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return w, m, v


# %% wrong id=lr_schedules name=step-decay-without-floor
def step_decay(lr0, t, step_size, gamma=0.5):
    return lr0 * gamma ** (np.asarray(t) / step_size)


def exponential_decay(lr0, t, k):
    return lr0 * np.exp(-k * np.asarray(t))


def inverse_time_decay(lr0, t, k):
    return lr0 / (1.0 + k * np.asarray(t))


# %% wrong id=lr_schedules name=step-decay-one-epoch-early
def step_decay(lr0, t, step_size, gamma=0.5):
    return lr0 * gamma ** ((np.asarray(t) + 1) // step_size)


def exponential_decay(lr0, t, k):
    return lr0 * np.exp(-k * np.asarray(t))


def inverse_time_decay(lr0, t, k):
    return lr0 / (1.0 + k * np.asarray(t))


# %% wrong id=lr_schedules name=exponential-times-t
def step_decay(lr0, t, step_size, gamma=0.5):
    return lr0 * gamma ** (np.asarray(t) // step_size)


def exponential_decay(lr0, t, k):
    return lr0 * np.exp(-k) * np.asarray(t)


def inverse_time_decay(lr0, t, k):
    return lr0 / (1.0 + k * np.asarray(t))


# %% wrong id=lr_schedules name=exponential-uses-k-as-factor
def step_decay(lr0, t, step_size, gamma=0.5):
    return lr0 * gamma ** (np.asarray(t) // step_size)


def exponential_decay(lr0, t, k):
    return lr0 * k ** np.asarray(t)


def inverse_time_decay(lr0, t, k):
    return lr0 / (1.0 + k * np.asarray(t))


# %% wrong id=lr_schedules name=inverse-time-missing-parentheses
def step_decay(lr0, t, step_size, gamma=0.5):
    return lr0 * gamma ** (np.asarray(t) // step_size)


def exponential_decay(lr0, t, k):
    return lr0 * np.exp(-k * np.asarray(t))


def inverse_time_decay(lr0, t, k):
    return lr0 / 1.0 + k * np.asarray(t)


# %% wrong id=lr_schedules name=inverse-time-squared
def step_decay(lr0, t, step_size, gamma=0.5):
    return lr0 * gamma ** (np.asarray(t) // step_size)


def exponential_decay(lr0, t, k):
    return lr0 * np.exp(-k * np.asarray(t))


def inverse_time_decay(lr0, t, k):
    return lr0 / (1.0 + k * np.asarray(t)) ** 2


# %% wrong id=log_uniform name=uniform-on-a-linear-scale
def log_uniform(rng, low, high, size=None):
    return rng.uniform(low, high, size=size)


# %% wrong id=log_uniform name=global-numpy-random
def log_uniform(rng, low, high, size=None):
    return 10.0 ** np.random.uniform(np.log10(low), np.log10(high), size=size)


# %% wrong id=log_uniform name=exp-of-a-log10-exponent
def log_uniform(rng, low, high, size=None):
    return np.exp(rng.uniform(np.log10(low), np.log10(high), size=size))


# %% wrong id=log_uniform name=geometric-grid-not-random
def log_uniform(rng, low, high, size=None):
    n = int(np.prod(size)) if size is not None else 1
    out = np.geomspace(low, high, n)
    return out.reshape(size) if size is not None else float(out[0])


# %% wrong id=random_search name=keeps-the-highest-score
def random_search(evaluate, space, n_trials, rng):
    best_config, best_score = None, -np.inf
    for _ in range(n_trials):
        config = {}
        for name, (low, high, scale) in space.items():
            config[name] = float(log_uniform(rng, low, high) if scale == "log" else rng.uniform(low, high))
        score = evaluate(config)
        if score > best_score:
            best_config, best_score = config, score
    return best_config, best_score


# %% wrong id=random_search name=log-scale-for-everything
def random_search(evaluate, space, n_trials, rng):
    best_config, best_score = None, np.inf
    for _ in range(n_trials):
        config = {name: float(log_uniform(rng, low, high)) for name, (low, high, _scale) in space.items()}
        score = evaluate(config)
        if score < best_score:
            best_config, best_score = config, score
    return best_config, best_score


# %% wrong id=random_search name=linear-scale-for-everything
def random_search(evaluate, space, n_trials, rng):
    best_config, best_score = None, np.inf
    for _ in range(n_trials):
        config = {name: float(rng.uniform(low, high)) for name, (low, high, _scale) in space.items()}
        score = evaluate(config)
        if score < best_score:
            best_config, best_score = config, score
    return best_config, best_score


# %% wrong id=random_search name=returns-the-last-trial
def random_search(evaluate, space, n_trials, rng):
    for _ in range(n_trials):
        config = {}
        for name, (low, high, scale) in space.items():
            config[name] = float(log_uniform(rng, low, high) if scale == "log" else rng.uniform(low, high))
        score = evaluate(config)
    return config, score


# %% wrong id=random_search name=one-trial-too-few
def random_search(evaluate, space, n_trials, rng):
    best_config, best_score = None, np.inf
    for _ in range(n_trials - 1):
        config = {}
        for name, (low, high, scale) in space.items():
            config[name] = float(log_uniform(rng, low, high) if scale == "log" else rng.uniform(low, high))
        score = evaluate(config)
        if score < best_score:
            best_config, best_score = config, score
    return best_config, best_score


# %% wrong id=random_search name=reuses-one-config-dict
def random_search(evaluate, space, n_trials, rng):
    best_config, best_score = None, np.inf
    config = {}
    for _ in range(n_trials):
        for name, (low, high, scale) in space.items():
            config[name] = float(log_uniform(rng, low, high) if scale == "log" else rng.uniform(low, high))
        score = evaluate(config)
        if score < best_score:
            best_config, best_score = config, score
    return best_config, best_score


# %% wrong id=random_search name=evaluates-each-config-twice
def random_search(evaluate, space, n_trials, rng):
    best_config, best_score = None, np.inf
    for _ in range(n_trials):
        config = {}
        for name, (low, high, scale) in space.items():
            config[name] = float(log_uniform(rng, low, high) if scale == "log" else rng.uniform(low, high))
        if evaluate(config) < best_score:
            best_config, best_score = config, evaluate(config)
    return best_config, best_score


# %% wrong id=random_search name=global-numpy-random
def random_search(evaluate, space, n_trials, rng):
    best_config, best_score = None, np.inf
    for _ in range(n_trials):
        config = {}
        for name, (low, high, scale) in space.items():
            u = np.random.uniform(np.log10(low), np.log10(high)) if scale == "log" else None
            config[name] = float(10.0**u if scale == "log" else np.random.uniform(low, high))
        score = evaluate(config)
        if score < best_score:
            best_config, best_score = config, score
    return best_config, best_score


# %% wrong id=my_adam name=step-counter-per-parameter
class MyAdam:
    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params = list(params)
        self.lr = lr
        self.hyper = {"beta1": beta1, "beta2": beta2, "eps": eps}
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.t = 0

    def zero_grad(self):
        for p in self.params:
            p.grad[...] = 0.0

    def step(self):
        for i, p in enumerate(self.params):
            self.t += 1  # counts adam_step calls, not optimiser steps
            p.data, self.m[i], self.v[i] = adam_step(
                p.data, self.m[i], self.v[i], p.grad, self.t, lr=self.lr, **self.hyper
            )


# %% wrong id=my_adam name=state-forgotten-between-steps
class MyAdam:
    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params = list(params)
        self.lr = lr
        self.hyper = {"beta1": beta1, "beta2": beta2, "eps": eps}
        self.t = 0

    def zero_grad(self):
        for p in self.params:
            p.grad[...] = 0.0

    def step(self):
        self.t += 1
        for p in self.params:
            p.data, _, _ = adam_step(
                p.data, np.zeros_like(p.data), np.zeros_like(p.data), p.grad, self.t, lr=self.lr, **self.hyper
            )


# %% wrong id=my_adam name=zero-grad-does-nothing
class MyAdam:
    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params = list(params)
        self.lr = lr
        self.hyper = {"beta1": beta1, "beta2": beta2, "eps": eps}
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.t = 0

    def zero_grad(self):
        pass

    def step(self):
        self.t += 1
        for i, p in enumerate(self.params):
            p.data, self.m[i], self.v[i] = adam_step(
                p.data, self.m[i], self.v[i], p.grad, self.t, lr=self.lr, **self.hyper
            )


# %% wrong id=my_adam name=hyper-parameters-ignored
class MyAdam:
    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params = list(params)
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.t = 0

    def zero_grad(self):
        for p in self.params:
            p.grad[...] = 0.0

    def step(self):
        self.t += 1
        for i, p in enumerate(self.params):
            p.data, self.m[i], self.v[i] = adam_step(p.data, self.m[i], self.v[i], p.grad, self.t)


# %% wrong id=my_adam name=lr-frozen-at-construction
class MyAdam:
    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params = list(params)
        self.lr = lr
        self.hyper = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps}  # a schedule's opt.lr never arrives
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.t = 0

    def zero_grad(self):
        for p in self.params:
            p.grad[...] = 0.0

    def step(self):
        self.t += 1
        for i, p in enumerate(self.params):
            p.data, self.m[i], self.v[i] = adam_step(p.data, self.m[i], self.v[i], p.grad, self.t, **self.hyper)


# %% wrong id=warmup_cosine_lr name=warm-up-starts-at-zero
def warmup_cosine_lr(t, lr_max, warmup_steps, total_steps, min_lr=0.0):
    if warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError("warmup_steps / total_steps")
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    progress = np.clip(t - warmup_steps, 0, total_steps - warmup_steps) / (total_steps - warmup_steps)
    cosine = min_lr + (lr_max - min_lr) * 0.5 * (1.0 + np.cos(np.pi * progress))
    rate = np.where(t < warmup_steps, lr_max * t / max(warmup_steps, 1), cosine)
    return rate if rate.ndim else float(rate)


# %% wrong id=warmup_cosine_lr name=cosine-not-shifted-by-the-warm-up
def warmup_cosine_lr(t, lr_max, warmup_steps, total_steps, min_lr=0.0):
    if warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError("warmup_steps / total_steps")
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    progress = np.clip(t, 0, total_steps) / total_steps
    cosine = min_lr + (lr_max - min_lr) * 0.5 * (1.0 + np.cos(np.pi * progress))
    rate = np.where(t < warmup_steps, lr_max * (t + 1) / max(warmup_steps, 1), cosine)
    return rate if rate.ndim else float(rate)


# %% wrong id=warmup_cosine_lr name=full-cosine-period
def warmup_cosine_lr(t, lr_max, warmup_steps, total_steps, min_lr=0.0):
    if warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError("warmup_steps / total_steps")
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    progress = np.clip(t - warmup_steps, 0, total_steps - warmup_steps) / (total_steps - warmup_steps)
    cosine = min_lr + (lr_max - min_lr) * 0.5 * (1.0 + np.cos(2 * np.pi * progress))
    rate = np.where(t < warmup_steps, lr_max * (t + 1) / max(warmup_steps, 1), cosine)
    return rate if rate.ndim else float(rate)


# %% wrong id=warmup_cosine_lr name=cosine-without-the-half
def warmup_cosine_lr(t, lr_max, warmup_steps, total_steps, min_lr=0.0):
    if warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError("warmup_steps / total_steps")
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    progress = np.clip(t - warmup_steps, 0, total_steps - warmup_steps) / (total_steps - warmup_steps)
    cosine = min_lr + (lr_max - min_lr) * np.cos(np.pi / 2 * progress)
    rate = np.where(t < warmup_steps, lr_max * (t + 1) / max(warmup_steps, 1), cosine)
    return rate if rate.ndim else float(rate)


# %% wrong id=warmup_cosine_lr name=floor-added-on-top
def warmup_cosine_lr(t, lr_max, warmup_steps, total_steps, min_lr=0.0):
    if warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError("warmup_steps / total_steps")
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    progress = np.clip(t - warmup_steps, 0, total_steps - warmup_steps) / (total_steps - warmup_steps)
    cosine = min_lr + lr_max * 0.5 * (1.0 + np.cos(np.pi * progress))
    rate = np.where(t < warmup_steps, lr_max * (t + 1) / max(warmup_steps, 1), cosine)
    return rate if rate.ndim else float(rate)


# %% wrong id=warmup_cosine_lr name=periodic-after-total-steps
def warmup_cosine_lr(t, lr_max, warmup_steps, total_steps, min_lr=0.0):
    if warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError("warmup_steps / total_steps")
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    progress = (t - warmup_steps) / (total_steps - warmup_steps)
    cosine = min_lr + (lr_max - min_lr) * 0.5 * (1.0 + np.cos(np.pi * progress))
    rate = np.where(t < warmup_steps, lr_max * (t + 1) / max(warmup_steps, 1), cosine)
    return rate if rate.ndim else float(rate)


# %% wrong id=warmup_cosine_lr name=linear-decay-instead-of-cosine
def warmup_cosine_lr(t, lr_max, warmup_steps, total_steps, min_lr=0.0):
    if warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError("warmup_steps / total_steps")
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    progress = np.clip(t - warmup_steps, 0, total_steps - warmup_steps) / (total_steps - warmup_steps)
    rate = np.where(t < warmup_steps, lr_max * (t + 1) / max(warmup_steps, 1), lr_max - (lr_max - min_lr) * progress)
    return rate if rate.ndim else float(rate)


# %% wrong id=warmup_cosine_lr name=warm-up-one-step-short-of-the-peak
def warmup_cosine_lr(t, lr_max, warmup_steps, total_steps, min_lr=0.0):
    if warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError("warmup_steps / total_steps")
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    progress = np.clip(t - warmup_steps, 0, total_steps - warmup_steps) / (total_steps - warmup_steps)
    cosine = min_lr + (lr_max - min_lr) * 0.5 * (1.0 + np.cos(np.pi * progress))
    rate = np.where(t < warmup_steps, lr_max * (t + 1) / (warmup_steps + 1), cosine)
    return rate if rate.ndim else float(rate)


# %% wrong id=warmup_cosine_lr name=no-argument-checks
def warmup_cosine_lr(t, lr_max, warmup_steps, total_steps, min_lr=0.0):
    t = np.asarray(t)
    progress = np.clip(t - warmup_steps, 0, total_steps - warmup_steps) / max(total_steps - warmup_steps, 1)
    cosine = min_lr + (lr_max - min_lr) * 0.5 * (1.0 + np.cos(np.pi * progress))
    rate = np.where(t < warmup_steps, lr_max * (t + 1) / max(warmup_steps, 1), cosine)
    return rate if rate.ndim else float(rate)


# %% wrong id=warmup_cosine_lr name=modifies-t-in-place
def warmup_cosine_lr(t, lr_max, warmup_steps, total_steps, min_lr=0.0):
    if warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError("warmup_steps / total_steps")
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    if t.ndim:
        t -= warmup_steps  # shifts the caller's array
        shifted = t
    else:
        shifted = t - warmup_steps
    progress = np.clip(shifted, 0, total_steps - warmup_steps) / (total_steps - warmup_steps)
    cosine = min_lr + (lr_max - min_lr) * 0.5 * (1.0 + np.cos(np.pi * progress))
    rate = np.where(shifted < 0, lr_max * (shifted + warmup_steps + 1) / max(warmup_steps, 1), cosine)
    return rate if rate.ndim else float(rate)


# %% wrong id=adamw name=l2-and-adamw-swapped
def adam_l2_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    w_adam, m_new, v_new = adam_step(w, m, v, grad, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    return w_adam - lr * weight_decay * w, m_new, v_new


def adamw_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    return adam_step(w, m, v, grad + weight_decay * w, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


# %% wrong id=adamw name=adamw-decay-without-the-learning-rate
def adam_l2_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    return adam_step(w, m, v, grad + weight_decay * w, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def adamw_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    w_adam, m_new, v_new = adam_step(w, m, v, grad, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    return w_adam - weight_decay * w, m_new, v_new


# %% wrong id=adamw name=adamw-decays-the-updated-weights
def adam_l2_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    return adam_step(w, m, v, grad + weight_decay * w, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def adamw_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    w_adam, m_new, v_new = adam_step(w, m, v, grad, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    return w_adam * (1 - lr * weight_decay), m_new, v_new


# %% wrong id=adamw name=l2-penalty-gradient-halved
def adam_l2_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    return adam_step(w, m, v, grad + 0.5 * weight_decay * w, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def adamw_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    w_adam, m_new, v_new = adam_step(w, m, v, grad, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    return w_adam - lr * weight_decay * w, m_new, v_new


# %% wrong id=adamw name=l2-penalty-only-in-the-first-moment
def adam_l2_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    g = grad + weight_decay * w
    m_new = beta1 * m + (1.0 - beta1) * g
    v_new = beta2 * v + (1.0 - beta2) * grad * grad
    m_hat, v_hat = m_new / (1.0 - beta1**t), v_new / (1.0 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


def adamw_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    w_adam, m_new, v_new = adam_step(w, m, v, grad, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    return w_adam - lr * weight_decay * w, m_new, v_new


# %% wrong id=adamw name=adamw-decay-scaled-by-adam
def adam_l2_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    return adam_step(w, m, v, grad + weight_decay * w, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def adamw_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    w_adam, m_new, v_new = adam_step(w, m, v, grad, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    v_hat = v_new / (1.0 - beta2**t)
    return w_adam - lr * weight_decay * w / (np.sqrt(v_hat) + eps), m_new, v_new


# %% wrong id=adamw name=adamw-in-place-mutates-w
def adam_l2_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    return adam_step(w, m, v, grad + weight_decay * w, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def adamw_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    w *= 1 - lr * weight_decay
    return adam_step(w, m, v, grad, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


# %% wrong id=heavy_ball name=rate-takes-the-real-part-of-complex-roots
# (each heavy_ball section redefines only what is wrong: the solution's cell is restored after every section)
def heavy_ball_rate(lr, momentum, h):
    roots = np.roots([1.0, -(1.0 + momentum - lr * h), momentum])
    return float(np.max(np.abs(roots.real)))


# %% wrong id=heavy_ball name=rate-without-absolute-value
def heavy_ball_rate(lr, momentum, h):
    b = 1.0 + momentum - lr * h
    disc = b * b - 4.0 * momentum
    return float(np.sqrt(momentum)) if disc < 0 else float((b + np.sqrt(disc)) / 2.0)


# %% wrong id=heavy_ball name=momentum-not-squared
def best_heavy_ball(m, L):
    sm, sL = np.sqrt(m), np.sqrt(L)
    return 4.0 / (sL + sm) ** 2, (sL - sm) / (sL + sm)


# %% wrong id=heavy_ball name=condition-number-instead-of-its-root
def best_heavy_ball(m, L):
    kappa = L / m
    return 4.0 / (L + m), ((kappa - 1) / (kappa + 1)) ** 2


# %% wrong id=heavy_ball name=plain-descent-step-with-tuned-momentum
def best_heavy_ball(m, L):
    sm, sL = np.sqrt(m), np.sqrt(L)
    return 2.0 / (m + L), ((sL - sm) / (sL + sm)) ** 2


# %% wrong id=heavy_ball name=grid-search-instead-of-derivation
def best_heavy_ball(m, L):
    best = (np.inf, 0.0, 0.0)
    for lr in np.linspace(0.0, 4.0 / L, 201)[1:]:
        for mu in np.linspace(0.0, 0.99, 100):
            best = min(best, (max(heavy_ball_rate(lr, mu, m), heavy_ball_rate(lr, mu, L)), lr, mu))
    return float(best[1]), float(best[2])


# %% wrong id=heavy_ball name=no-validation-of-the-range
def best_heavy_ball(m, L):
    sm, sL = np.sqrt(abs(m)), np.sqrt(abs(L))
    return 4.0 / (sL + sm) ** 2, ((sL - sm) / (sL + sm)) ** 2


# %% wrong id=train_deep_sigmoid name=plain-gradient-descent
def train_deep_sigmoid(model, loss_and_grad, steps=200):
    for _ in range(steps):
        loss_and_grad(model)
        for p in model.parameters():
            p.data = sgd_step(p.data, p.grad, 0.5)


# %% wrong id=train_deep_sigmoid name=momentum-one-rate-for-all-layers
def train_deep_sigmoid(model, loss_and_grad, steps=200):
    params = list(model.parameters())
    velocities = [np.zeros_like(p.data) for p in params]
    for _ in range(steps):
        loss_and_grad(model)
        for i, p in enumerate(params):
            p.data, velocities[i] = momentum_step(p.data, velocities[i], p.grad, 0.5, 0.9)


# %% wrong id=train_deep_sigmoid name=adam-at-its-default-rate
def train_deep_sigmoid(model, loss_and_grad, steps=200):
    opt = MyAdam(model.parameters())
    for _ in range(steps):
        loss_and_grad(model)
        opt.step()


# %% wrong id=train_deep_sigmoid name=warm-up-and-cosine-too-cautious
def train_deep_sigmoid(model, loss_and_grad, steps=200):
    opt = MyAdam(model.parameters(), lr=0.01)
    for t in range(steps):
        opt.lr = warmup_cosine_lr(t, 0.01, 20, steps)
        loss_and_grad(model)
        opt.step()


# %% wrong id=train_deep_sigmoid name=twice-the-budget
def train_deep_sigmoid(model, loss_and_grad, steps=200):
    opt = MyAdam(model.parameters(), lr=0.005)
    for _ in range(2 * steps):
        loss_and_grad(model)
        opt.step()


# %% wrong id=train_deep_sigmoid name=own-backward-passes-outside-the-budget
def train_deep_sigmoid(model, loss_and_grad, steps=200):
    opt, loss_fn = MyAdam(model.parameters(), lr=0.005), nn.CrossEntropyLoss()
    for _ in range(steps):
        loss_and_grad(model)
        opt.step()
    for _ in range(steps):  # more steps from gradients of its own, which the budget does not see
        for p in model.parameters():
            p.grad[...] = 0.0
        loss_fn.forward(model(X_train), y_train)
        model.backward(loss_fn.backward())
        opt.step()


# %% wrong id=train_deep_sigmoid name=layer-by-layer-backward-outside-the-budget
def train_deep_sigmoid(model, loss_and_grad, steps=200):
    opt = MyAdam(model.parameters(), lr=0.02)
    for _ in range(steps):
        loss_and_grad(model)
        opt.step()
    # a last step from a gradient of its own, each layer's backward called in turn: unseen by a count on the model
    criterion = nn.CrossEntropyLoss()
    criterion.forward(model(X_train), y_train)
    upstream = criterion.backward()
    for layer in list(model)[::-1]:
        upstream = layer.backward(upstream)
    opt.step()
