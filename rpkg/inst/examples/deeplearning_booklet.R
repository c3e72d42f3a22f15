# The R examples of H2O's "Deep Learning with H2O" booklet, in order, as printed there except for
# the data paths (the shipped copies of H2O's public test data; set H2OLITE_DATA to their root),
# the checkpoint example, which keeps the first model's hidden = c(32,32,32) as H2O requires, and
# the random grid's layer count, sample(4, 1) where the booklet's sample(4) fails in current R.
#   Rscript rpkg/inst/examples/deeplearning_booklet.R
library(h2olite)

data_root <- Sys.getenv("H2OLITE_DATA", "h2olite/datasets/data")

# Sets number of threads to number of available cores
h2o.init(nthreads = -1)

train_file <- file.path(data_root, "bigdata/laptop/mnist/train.csv.gz")
test_file <- file.path(data_root, "bigdata/laptop/mnist/test.csv.gz")

train <- h2o.importFile(train_file)
test <- h2o.importFile(test_file)

# Get a brief summary of the data
summary(train)
summary(test)

# Specify the response and predictor columns
y <- "C785"
x <- setdiff(names(train), y)

# Encode the response column as categorical for multinomial classification
train[,y] <- as.factor(train[,y])
test[,y] <- as.factor(test[,y])

# Train Deep Learning model and validate on test set
model <- h2o.deeplearning(
        x = x,
        y = y,
        training_frame = train,
        validation_frame = test,
        distribution = "multinomial",
        activation = "RectifierWithDropout",
        hidden = c(32,32,32),
        input_dropout_ratio = 0.2,
        sparse = TRUE,
        l1 = 1e-5,
        epochs = 10)

# View specified parameters of the deep learning model
model@parameters

# Examine the performance of the trained model
model  # display all performance metrics

# Perform 5-fold cross-validation on training_frame
model_cv <- h2o.deeplearning(
        x = x,
        y = y,
        training_frame = train,
        distribution = "multinomial",
        activation = "RectifierWithDropout",
        hidden = c(32,32,32),
        input_dropout_ratio = 0.2,
        sparse = TRUE,
        l1 = 1e-5,
        epochs = 10,
        nfolds = 5)

h2o.performance(model)  # training metrics
h2o.performance(model, valid = TRUE)  # validation metrics

# Get MSE only
h2o.mse(model, valid = TRUE)

# Cross-validated MSE
h2o.mse(model_cv, xval = TRUE)

# Classify the test set (predict class labels)
# This also returns the probability for each class
pred <- h2o.predict(model, newdata = test)

# Take a look at the predictions
head(pred)

# Train a Deep Learning model and validate on a test set
# and save the variable importances
model_vi <- h2o.deeplearning(
        x = x,
        y = y,
        training_frame = train,
        distribution = "multinomial",
        activation = "RectifierWithDropout",
        hidden = c(32,32,32),
        input_dropout_ratio = 0.2,
        sparse = TRUE,
        l1 = 1e-5,
        validation_frame = test,
        epochs = 10,
        variable_importances = TRUE)  #added

# Retrieve the variable importance
h2o.varimp(model_vi)

hidden_opt <- list(c(32,32), c(32,16,8), c(100))
l1_opt <- c(1e-5,1e-7)
hyper_params <- list(hidden = hidden_opt, l1 = l1_opt)

model_grid <- h2o.grid(
        "deeplearning",
        hyper_params = hyper_params,
        x = x,
        y = y,
        distribution = "multinomial",
        training_frame = train,
        validation_frame = test)

# print out all prediction errors and run times of the models
model_grid

# print out the Test MSE for all of the models
for (model_id in model_grid@model_ids) {
  mse <- h2o.mse(h2o.getModel(model_id), valid = TRUE)
  print(sprintf("Test set MSE: %f", mse))
}

# (the booklet's sample(4) is a vector of 4 sizes, which R >= 3.6 rejects; one size is meant)
hidden_opt = lapply(1:100, function(x)10+sample(50, sample(4, 1), replace=TRUE))
l1_opt = seq(1e-6,1e-3,1e-6)
hyper_params <- list(hidden = hidden_opt, l1 = l1_opt)
search_criteria = list(strategy = "RandomDiscrete",
    max_models = 10, max_runtime_secs = 100,
    seed=123456)

model_grid <- h2o.grid("deeplearning",
    grid_id = "mygrid",
    hyper_params = hyper_params,
    search_criteria = search_criteria,
    x = x,
    y = y,
    distribution = "multinomial",
    training_frame = train,
    validation_frame = test,
    score_interval = 2,
    epochs = 1000,
    stopping_rounds = 3,
    stopping_tolerance = 0.05,
    stopping_metric = "misclassification")

# Re-start the training process on a saved DL model
# using the `checkpoint` argument
model_chkp <- h2o.deeplearning(
        x = x,
        y = y,
        training_frame = train,
        validation_frame = test,
        distribution = "multinomial",
        checkpoint = model@model_id,
        activation = "RectifierWithDropout",
        hidden = c(32,32,32),
        input_dropout_ratio = 0.2,
        sparse = TRUE,
        l1 = 1e-5,
        epochs = 20)

# Specify a model and the file path where it is to be saved. If no path is specified, the model will be saved to the current working directory
model_path <- h2o.saveModel(object = model,
                            path=getwd(), force = TRUE)

print(model_path)

# Load model from disk
saved_model <- h2o.loadModel(model_path)

# Retrieve model by H2O key
model <- h2o.getModel(model_id = model_chkp@model_id)

# Download and import ECG train and test data into the H2O cluster
train_ecg <- h2o.importFile(
        path = file.path(data_root, "smalldata/anomaly/ecg_discord_train.csv"),
        header = FALSE,
        sep = ",")
test_ecg <- h2o.importFile(
        path = file.path(data_root, "smalldata/anomaly/ecg_discord_test.csv"),
        header = FALSE,
        sep = ",")

# Train deep autoencoder learning model on "normal"
# training data, y ignored
anomaly_model <- h2o.deeplearning(
        x = names(train_ecg),
        training_frame = train_ecg,
        activation = "Tanh",
        autoencoder = TRUE,
        hidden = c(50,20,50),
        sparse = TRUE,
        l1 = 1e-4,
        epochs = 100)

# Compute reconstruction error with the Anomaly
# detection app (MSE between output layer and input layer)
recon_error <- h2o.anomaly(anomaly_model, test_ecg)

# Pull reconstruction error data into R and
# plot to find outliers (last 3 heartbeats)
recon_error <- as.data.frame(recon_error)
recon_error
plot.ts(recon_error)

# Note: Testing = Reconstructing the test dataset
test_recon <- h2o.predict(anomaly_model, test_ecg)
head(test_recon)

h2o.shutdown(prompt = FALSE)
