"""Deep Learning with H2O -- the booklet's Python examples, run on h2olite.

    python vignettes/deeplearning_booklet_python.py                    # full run, echoes every cell
    H2OLITE_VIGNETTE_QUICK=1 python vignettes/deeplearning_booklet_python.py   # the CI-sized run
    python vignettes/replay.py vignettes/deeplearning_booklet_python.py \
        --markdown vignettes/deeplearning_booklet_python.md             # regenerate the rendered output

The cells below run as an interactive session would (bare expressions show their value; see
replay.py). Lines ending in ``# quick: ...`` are shrunk when H2OLITE_VIGNETTE_QUICK=1.
"""
if __name__ == "__main__":
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from replay import main
    sys.exit(main([__file__] + sys.argv[1:]))

# %% [markdown]
# # Deep Learning with H2O -- the booklet's Python examples on h2olite
#
# Every example of the booklet *Deep Learning with H2O* (Candel, LeDell et al., H2O.ai) as printed
# there, with one change: `import h2o` becomes `import h2olite as h2o` (and `from h2o.xxx import`
# becomes `from h2olite.xxx import`). The booklet's data URLs of H2O's public test-data bucket
# resolve to the copies shipped with h2olite (MNIST is the bucket's 8000/2000-row laptop subset), so
# everything runs offline. Where the booklet's code is changed beyond that, the text says so.
#
# `h2o.init()` gets `port=os.environ.get("H2OLITE_VIGNETTE_PORT")` so that a CI run uses a port of
# its own instead of meeting (and finally shutting down) another backend on H2O's default port.
# Lines ending in `# quick: ...` are shrunk when `H2OLITE_VIGNETTE_QUICK=1` (see `vignettes/README.md`).
#
# ## 1 Installation: quick start and help (booklet §2)

# %%
import os
import h2olite as h2o

# Start H2O on your local machine
h2o.init(port=os.environ.get("H2OLITE_VIGNETTE_PORT"))   # h2olite: None = H2O's default port 54321

# %%
# Get help (help(h2o.glm) and help(h2o.gbm) of the booklet: h2olite is Deep Learning only)
help(h2o.deeplearning)

# %% [markdown]
# The booklet's `h2o.demo("deeplearning")` has no h2olite counterpart; `make demo` (or
# `python -m h2olite.demo`) runs the booklet's MNIST trial model instead.
#
# ## 2 Quantile regression on iris (booklet §3.2.2, "Activation and Loss Functions")
#
# To predict the 80-th percentile of the petal length of the Iris dataset:

# %%
from h2olite.estimators.deeplearning import H2ODeepLearningEstimator
train = h2o.import_file("https://h2o-public-test-data.s3.amazonaws.com/smalldata/iris/iris_wheader.csv")
splits = train.split_frame(ratios=[0.75], seed=1234)
dl = H2ODeepLearningEstimator(distribution="quantile", quantile_alpha=0.8)
dl.train(x=list(range(0,2)), y="petal_len", training_frame=splits[0])
print(dl.predict(splits[1]))

# %% [markdown]
# ## 3 MNIST: import and summary (booklet §6.2)

# %%
# Start H2O cluster with all available cores (default)
h2o.init(port=os.environ.get("H2OLITE_VIGNETTE_PORT"))

train = h2o.import_file("https://h2o-public-test-data.s3.amazonaws.com/bigdata/laptop/mnist/train.csv.gz")
test = h2o.import_file("https://h2o-public-test-data.s3.amazonaws.com/bigdata/laptop/mnist/test.csv.gz")

# Get a brief summary of the data
train.describe()
test.describe()

# %% [markdown]
# ## 4 The trial run (booklet §6.3)

# %%
from h2olite.estimators.deeplearning import H2ODeepLearningEstimator

# Specify the response and predictor columns
y = "C785"
x = train.names[0:784]

# Encode the response column as categorical for multinomial classification
train[y] = train[y].asfactor()
test[y] = test[y].asfactor()

# Train Deep Learning model and validate on test set
model = H2ODeepLearningEstimator(
        distribution="multinomial",
        activation="RectifierWithDropout",
        hidden=[32,32,32],
        input_dropout_ratio=0.2,
        sparse=True,
        l1=1e-5,
        epochs=10)
model.train(
        x=x,
        y=y,
        training_frame=train,
        validation_frame=test)

# %% [markdown]
# ### N-fold cross-validation (booklet §6.3.1)

# %%
# Perform 5-fold cross-validation on the training_frame
model_cv = H2ODeepLearningEstimator(
        distribution="multinomial",
        activation="RectifierWithDropout",
        hidden=[32,32,32],
        input_dropout_ratio=0.2,
        sparse=True,
        l1=1e-5,
        epochs=10,
        nfolds=5)
model_cv.train(
        x=x,
        y=y,
        training_frame=train)

# %% [markdown]
# ### Extracting and handling the results (booklet §6.3.2)

# %%
# View the specified parameters of your deep learning model
model.params

# %%
# Examine the performance of the trained model
model  # display all performance metrics

# %%
model.model_performance(train=True)  # training set metrics

# %%
model.model_performance(valid=True)  # validation set metrics

# %%
# Get MSE only
model.mse(valid=True)

# %%
# Cross-validated MSE
model_cv.mse(xval=True)

# %%
model_cv.cross_validation_metrics_summary()

# %% [markdown]
# ### Predictions (booklet §6.3.2)

# %%
# Classify the test set (predict class labels)
# This also returns the probability for each class
pred = model.predict(test)

# Take a look at the predictions
pred.head()

# %%
def test_set_error(model):
    """Share of misclassified test digits (H2O's "classification error" on the test set)."""
    return 1 - (model.predict(test)["predict"] == test[y]).mean()[0]

print(f"trial model: test set error {test_set_error(model):.2%}")

# %% [markdown]
# ### Variable importances (booklet §6.4.1)

# %%
# Train Deep Learning model and validate on test set
# and save the variable importances
model_vi = H2ODeepLearningEstimator(
        distribution="multinomial",
        activation="RectifierWithDropout",
        hidden=[32,32,32],
        input_dropout_ratio=0.2,
        sparse=True,
        l1=1e-5,
        epochs=10,
        variable_importances=True)

model_vi.train(
        x=x,
        y=y,
        training_frame=train,
        validation_frame=test)

# %%
# Retrieve the variable importance
model_vi.varimp()

# %%
model_vi.varimp(use_pandas=True).head(10)   # the same as a table: the ten most important pixels

# %% [markdown]
# ## 5 Grid search for model comparison (booklet §6.5)
#
# ### Cartesian grid search: three topologies x two L1 values = six models

# %%
hidden_opt = [[32,32],[32,16,8],[100]]
l1_opt = [1e-4,1e-3]

hyper_parameters = {"hidden":hidden_opt, "l1":l1_opt}

from h2olite.grid.grid_search import H2OGridSearch

model_grid = H2OGridSearch(H2ODeepLearningEstimator, hyper_params=hyper_parameters)
model_grid.train(x=x, y=y, distribution="multinomial", epochs=1000,  # quick: epochs=1
                 training_frame=train, validation_frame=test, score_interval=2,
                 stopping_rounds=3, stopping_tolerance=0.05, stopping_metric="misclassification")

# %%
# print model grid search results
model_grid

# %%
trial_model = model   # kept: the booklet's loop below reuses the name `model`
for model in model_grid:
    print(model.model_id + " mse: " + str(model.mse()))

# %% [markdown]
# (The booklet prints with Python 2's `print` statement; Python 3 needs `print(...)`.)
#
# ### Random grid search

# %%
hidden_opt = [[17,32],[8,19],[32,16,8],[100],[10,10,10,10]]
l1_opt = [s/1e6 for s in range(1,1001)]
hyper_parameters = {"hidden":hidden_opt, "l1":l1_opt}
search_criteria = {"strategy":"RandomDiscrete",
    "max_models":10, "max_runtime_secs":100,  # quick: max_models=3
    "seed":123456}

from h2olite.grid.grid_search import H2OGridSearch
model_grid = H2OGridSearch(H2ODeepLearningEstimator,
    hyper_params=hyper_parameters,
    search_criteria=search_criteria)
model_grid.train(x=x, y=y,
    distribution="multinomial", epochs=1000,  # quick: epochs=1
    training_frame=train, validation_frame=test,
    score_interval=2, stopping_rounds=3,
    stopping_tolerance=0.05,
    stopping_metric="misclassification")
model_grid

# %% [markdown]
# ## 6 Checkpoint models (booklet §6.6)
#
# The booklet continues the trial model. H2O requires the checkpointed model's architecture, so
# `hidden` stays `[32,32,32]` (one edition of the booklet prints `[200,200,200]` here, which H2O-3
# and h2olite both reject). `epochs` is the total: 10 done + 10 more.

# %%
model = trial_model   # the booklet's grid loop above rebound `model`
model.model_id

# %%
# Re-start the training process on a saved DL model
# using the `checkpoint` argument
model_chkp = H2ODeepLearningEstimator(
        checkpoint=model,
        distribution="multinomial",
        activation="RectifierWithDropout",
        hidden=[32,32,32],
        input_dropout_ratio=0.2,
        sparse=True,
        l1=1e-5,
        epochs=20)
model_chkp.train(
        x=x,
        y=y,
        training_frame=train,
        validation_frame=test)
model_chkp.scoring_history()[["epochs", "training_classification_error", "validation_classification_error"]]

# %% [markdown]
# ### Save, load and get a model by its key

# %%
# Specify a model and the file path where it is to be saved. If no path is specified, the model will be saved to the current working directory
model_path = h2o.save_model(
        model = model,
        path = "/tmp/mymodel",
        force = True)

print(model_path)

# %%
# Load model from disk
saved_model = h2o.load_model(model_path)
saved_model.model_id == model.model_id

# %%
# Retrieve model by H2O key
model = h2o.get_model(model_id=model_chkp._id)
model.mse(valid=True)

# %% [markdown]
# ## 7 Achieving world-record performance (booklet §6.7)
#
# The booklet's recipe (R, 10 nodes, 8000 epochs over the full 60,000-row MNIST, about ten hours;
# 0.83% test error):
#
# ```r
# model <- h2o.deeplearning(x=x, y=y,
#  training_frame=train_hex, validation_frame=test_hex,
#  activation="RectifierWithDropout",
#  hidden=c(1024,1024,2048), epochs=8000,
#  input_dropout_ratio=0.2, l1=1e-5, max_w2=10,
#  train_samples_per_iteration=-1,
#  classification_stop=-1, stopping_rounds=0)
# ```
#
# The same recipe in Python, scaled to what this 2-core machine trains in about two minutes: the
# full network on the shipped 8000-row subset, but 10 epochs instead of 8000 (about 11 s per epoch
# here). Expect a test error of a few percent -- not 0.83%, which needs the full data and the
# full 8000 epochs.

# %%
import time
started = time.time()
model_wr = H2ODeepLearningEstimator(
        activation="RectifierWithDropout",
        hidden=[1024,1024,2048], epochs=10,  # quick: hidden=[64,64,128]; epochs=1
        input_dropout_ratio=0.2, l1=1e-5, max_w2=10,
        train_samples_per_iteration=-1,
        classification_stop=-1, stopping_rounds=0)
model_wr.train(x=x, y=y, training_frame=train, validation_frame=test)
print(f"trained in {time.time() - started:.0f} s; "
      f"test set error {test_set_error(model_wr):.2%}")

# %% [markdown]
# ## 8 Deep autoencoders: anomaly detection (booklet §7.2)
#
# The training data are 20 "good" ECG heartbeats; the test data are those 20 plus three bad ones
# (rows 20-22). An autoencoder trained on the good beats reconstructs the bad ones poorly.

# %%
# Import ECG train and test data into the H2O cluster
from h2olite.estimators.deeplearning import H2OAutoEncoderEstimator

train_ecg = h2o.import_file("http://h2o-public-test-data.s3.amazonaws.com/smalldata/anomaly/ecg_discord_train.csv")
test_ecg = h2o.import_file("http://h2o-public-test-data.s3.amazonaws.com/smalldata/anomaly/ecg_discord_test.csv")


# Train deep autoencoder learning model on "normal"
# training data, y ignored
anomaly_model = H2OAutoEncoderEstimator(
        activation="Tanh",
        hidden=[50,50,50],
        sparse=True,
        l1=1e-4,
        epochs=100)
anomaly_model.train(
        x=train_ecg.names,
        training_frame=train_ecg)

# Compute reconstruction error with the Anomaly
# detection app (MSE between output and input layers)
recon_error = anomaly_model.anomaly(test_ecg)


# Note: Testing = Reconstructing the test dataset
test_recon = anomaly_model.predict(test_ecg)
test_recon

# %% [markdown]
# The reconstruction error per heartbeat -- the booklet's `plot.ts(recon_error)` from R. With
# matplotlib installed this writes `vignettes/figures/ecg_reconstruction_error_python.png`;
# without it, a text plot.

# %%
errors = recon_error.as_data_frame()["Reconstruction.MSE"].tolist()
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import os
    figure = os.path.join(os.path.dirname(__file__), "figures", "ecg_reconstruction_error_python.png")
    os.makedirs(os.path.dirname(figure), exist_ok=True)
    plt.figure(figsize=(7, 3))
    plt.plot(range(len(errors)), errors, marker="o")
    plt.xlabel("test row (heartbeat)")
    plt.ylabel("Reconstruction.MSE")
    plt.title("ECG test set: reconstruction error")
    plt.tight_layout()
    plt.savefig(figure, dpi=100)
    print("wrote", os.path.relpath(figure))
except ImportError:
    scale = 50 / max(errors)
    for row, err in enumerate(errors):
        print(f"row {row:2d} {err:9.5f} |{'#' * max(1, round(err * scale))}")

# %%
outliers = sorted(range(len(errors)), key=lambda i: -errors[i])[:3]
print("the three worst-reconstructed heartbeats are rows", sorted(outliers))

# %% [markdown]
# ## 9 Stacked autoencoder (booklet §7.2.1)
#
# The booklet points to an R test that trains a deep autoencoder layer by layer
# (runit_deeplearning_stacked_autoencoder_large.R); here it is in Python: each autoencoder
# compresses the previous one's features (717 used pixels -> 200 -> 100 -> 50), and a small model
# is trained on the 50 compressed features.

# %%
# this function builds a vector of autoencoder models, one per layer
def get_stacked_ae_array(training_data, layers, args):
    vector = []
    for index, layer in enumerate(layers, start=1):
        ae_model = H2OAutoEncoderEstimator(hidden=[layer], **args)
        ae_model.train(x=training_data.names, training_frame=training_data)
        training_data = ae_model.deepfeatures(training_data, 0)
        training_data.names = [n.replace("DF", "L%d" % index) for n in training_data.names]
        vector.append(ae_model)
    return vector

# this function returns final encoded contents
def apply_stacked_ae_array(data, ae):
    for index, ae_model in enumerate(ae, start=1):
        data = ae_model.deepfeatures(data, 0)
        data.names = [n.replace("DF", "L%d" % index) for n in data.names]
    return data

# %%
# Build reference model on full dataset and evaluate it on the test set
model_ref = H2ODeepLearningEstimator(hidden=[10], epochs=1)
model_ref.train(x=x, y=y, training_frame=train)
p_ref = model_ref.model_performance(test)
print("reference model, test logloss:", p_ref.logloss())

# %%
# Now build a stacked autoencoder model with three stacked layer AE models
layers = [200, 100, 50]  # quick: layers=[32, 16, 8]
args = dict(activation="Tanh", epochs=1, l1=1e-5)
ae = get_stacked_ae_array(train[x], layers, args)

# Now compress the training/testing data with this 3-stage set of AE models
train_compressed = apply_stacked_ae_array(train[x], ae)
test_compressed = apply_stacked_ae_array(test[x], ae)

# Build a simple model using these new features (compressed training data) and evaluate it on the compressed test set.
train_w_resp = train_compressed.cbind(train[y])
test_w_resp = test_compressed.cbind(test[y])
model_on_compressed_data = H2ODeepLearningEstimator(hidden=[10], epochs=1)
model_on_compressed_data.train(x=train_compressed.names, y=y, training_frame=train_w_resp)
p = model_on_compressed_data.model_performance(test_w_resp)
print(f"{train_compressed.ncol} compressed features {train_compressed.names[:3]}..., test logloss:", p.logloss())

# %% [markdown]
# ## 10 Unsupervised pretraining with supervised fine-tuning (booklet §7.2.2)
#
# Half of the training rows lose their labels. An autoencoder learns from them; its weights then
# initialise (`pretrained_autoencoder`) a supervised model trained on the labelled half. The
# booklet's linked examples use the autoencoder's deep features in a random forest; h2olite is
# Deep Learning only, so the comparison here is fine-tuned vs. trained from scratch.

# %%
sid = train[0].runif(1234)
train_unsupervised = train[sid >= 0.5].drop(y)     # unlabelled half
train_supervised = train[sid < 0.5]                 # labelled half
print("unlabelled rows:", train_unsupervised.nrow, " labelled rows:", train_supervised.nrow)

ae_model = H2OAutoEncoderEstimator(activation="Tanh", hidden=[128], epochs=5,  # quick: epochs=1
                                   seed=1234)
ae_model.train(x=train_unsupervised.names, training_frame=train_unsupervised)

fine_tuned = H2ODeepLearningEstimator(activation="Tanh", hidden=[128], epochs=5,  # quick: epochs=1
                                      pretrained_autoencoder=ae_model.model_id, seed=1234)
fine_tuned.train(x=x, y=y, training_frame=train_supervised, validation_frame=test)

from_scratch = H2ODeepLearningEstimator(activation="Tanh", hidden=[128], epochs=5,  # quick: epochs=1
                                        seed=1234)
from_scratch.train(x=x, y=y, training_frame=train_supervised, validation_frame=test)
print(f"test set error: pretrained + fine-tuned {test_set_error(fine_tuned):.2%}, "
      f"from scratch {test_set_error(from_scratch):.2%}")

# %% [markdown]
# The autoencoder's features themselves (`deepfeatures`), as in the booklet's linked example:

# %%
train_supervised_features = ae_model.deepfeatures(train_supervised[x], 0)
train_supervised_features.shape

# %%
h2o.cluster().shutdown()
