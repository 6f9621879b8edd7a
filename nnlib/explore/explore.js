/* placeholder */ var nnlibExplore={boot:function(){}};
