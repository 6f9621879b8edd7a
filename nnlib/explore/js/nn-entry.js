// nn.js alone, for pages that compute without an explorer's drawing (the exercise checkers): window.nnlibNN.
module.exports = require("../nn.js");
