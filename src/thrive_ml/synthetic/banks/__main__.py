"""`python -m thrive_ml.synthetic.banks [FILE.yaml]`: validate phrase banks."""

from thrive_ml.synthetic.banks import main

main()
