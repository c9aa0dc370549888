def square(x):
    raise NotImplementedError
