# Jupyter settings for serving notebooks/ (start.sh passes this file; the Binder image installs it in /etc/jupyter):
# the file browser lists the notebooks, setup.jsh and results, not the kernel's sources or these scripts.
c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)
c.ContentsManager.hide_globs = ['__pycache__', '*.pyc', '*.pyo', '.DS_Store', '*.so', '*.dylib', '*~',
                                'kernel', 'bin', '.ipynb_checkpoints']
